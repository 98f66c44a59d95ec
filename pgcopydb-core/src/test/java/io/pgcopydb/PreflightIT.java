package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.Side;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresPairExtension.class)
class PreflightIT {

    @Test
    void aNonEmptyTargetIsRefusedAndLeftUntouched(DatabasePair pair) {
        pair.source().execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2)");
        pair.target().execute("CREATE TABLE keep (id int); INSERT INTO keep VALUES (42)");
        RecordingListener listener = new RecordingListener();

        PgCopyException e = catchThrowableOfType(PgCopyException.class,
                () -> CopyAssertions.copy(pair, listener, b -> b));

        assertThat(e.code()).isEqualTo(ErrorCode.TARGET_NOT_EMPTY);
        ProblemAssertions.codes(e, ErrorCode.TARGET_NOT_EMPTY);
        ProblemAssertions.problem(e, ErrorCode.TARGET_NOT_EMPTY, Side.TARGET, pair.target().name());
        ProblemAssertions.preflightMessage(e);
        assertThat(e.getMessage()).contains("not empty").contains("public.keep").contains("empty database")
                .contains("dropIfExists()").doesNotContain("\n");
        assertThat(e.partialReport()).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(CopyReport.Status.FAILED));
        assertThat(pair.target().queryForString("SELECT string_agg(id::text, ',') FROM keep")).isEqualTo("42");
        assertThat(pair.target().queryForString("SELECT to_regclass('public.t')")).isNull();
        assertThat(listener.events("phaseFailed")).extracting(RecordingListener.Event::object).containsExactly("PREFLIGHT");
    }

    @Test
    void anUnreachableServerIsAConnectionFailureNamingTheRemedy(DatabasePair pair) {
        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> DatabaseCopy
                .from(CopyAssertions.spec(pair.source()))
                .to("postgres://someone:s3cretpw@127.0.0.1:1/nowhere").run());

        assertThat(e.code()).isEqualTo(ErrorCode.SERVER_UNREACHABLE);
        assertThat(e.code().category()).isEqualTo(ErrorCode.Category.CONNECTION);
        ProblemAssertions.codes(e, ErrorCode.SERVER_UNREACHABLE);
        ProblemAssertions.problem(e, ErrorCode.SERVER_UNREACHABLE, Side.TARGET, "127.0.0.1:1");
        assertThat(e.sqlState()).hasValueSatisfying(s -> assertThat(s).startsWith("08"));
        assertThat(e.getCause()).isInstanceOf(SQLException.class);
        assertThat(e.getMessage()).isEqualTo("preflight failed: cannot connect to the target "
                + "postgres://someone@127.0.0.1:1/nowhere: Connection to 127.0.0.1:1 refused: check the host and "
                + "port, and that the server is running and accepts TCP/IP connections");
        assertThat(stackTrace(e)).doesNotContain("s3cretpw");
    }

    @Test
    void anUnknownHostIsAConnectionFailureNamingTheHost(DatabasePair pair) {
        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> DatabaseCopy
                .from(CopyAssertions.spec(pair.source())).to("postgres://someone@nosuchhost.invalid/x").run());

        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_HOST);
        ProblemAssertions.codes(e, ErrorCode.UNKNOWN_HOST);
        ProblemAssertions.problem(e, ErrorCode.UNKNOWN_HOST, Side.TARGET, "nosuchhost.invalid");
        assertThat(e.getCause()).isInstanceOf(SQLException.class);
        assertThat(e.getMessage()).isEqualTo("preflight failed: cannot connect to the target "
                + "postgres://someone@nosuchhost.invalid:5432/x: unknown host nosuchhost.invalid: check the host and "
                + "port, and that the server is running and accepts TCP/IP connections");
    }

    @Test
    void aWrongPasswordIsAConnectionFailureNamingTheRemedy(DatabasePair pair) {
        String role = "pw_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
        PostgresServer server = pair.target().server();
        server.createPasswordRole(role, "Right-Pw-4ee1");
        try {
            ConnectionSpec wrong = ConnectionSpec.jdbc(pair.target().jdbcUrl(), role, "Wrong-Pw-93c7");

            PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> DatabaseCopy
                    .from(CopyAssertions.spec(pair.source())).to(wrong).run());

            assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            ProblemAssertions.codes(e, ErrorCode.AUTHENTICATION_FAILED);
            ProblemAssertions.problem(e, ErrorCode.AUTHENTICATION_FAILED, Side.TARGET, role);
            assertThat(e.sqlState()).contains("28P01");
            assertThat(e.getCause()).isInstanceOf(SQLException.class);
            assertThat(e.getMessage()).isEqualTo("preflight failed: cannot connect to the target " + wrong.toUri()
                    + ": FATAL: password authentication failed for user \"" + role + "\": check the user name "
                    + "and password");
            assertThat(stackTrace(e)).doesNotContain("Wrong-Pw-93c7", "Right-Pw-4ee1");
        } finally {
            server.execute(server.maintenanceDatabase(), "DROP ROLE " + role);
        }
    }

    @Test
    void anUnknownSourceDatabaseIsAConnectionFailureNamingTheRemedy(DatabasePair pair) {
        // A missing target database is created (TemplateStrategyIT); a missing source stays a connection failure.
        ConnectionSpec missing = ConnectionSpec.jdbc(pair.source().server().jdbcUrl("no_such_db"),
                pair.source().server().user(), pair.source().server().password().orElse(null));

        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> DatabaseCopy
                .from(missing).to(CopyAssertions.spec(pair.target())).run());

        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_NOT_FOUND);
        ProblemAssertions.codes(e, ErrorCode.DATABASE_NOT_FOUND);
        Problem p = ProblemAssertions.problem(e, ErrorCode.DATABASE_NOT_FOUND, Side.SOURCE, "no_such_db");
        assertThat(p.sqlState()).contains("3D000");
        assertThat(e.sqlState()).contains("3D000");
        assertThat(e.getCause()).as("the server's error").isInstanceOf(SQLException.class)
                .satisfies(c -> assertThat(((SQLException) c).getSQLState()).isEqualTo("3D000"));
        assertThat(e.getMessage()).isEqualTo("preflight failed: cannot connect to the source " + missing.toUri()
                + ": FATAL: database \"no_such_db\" does not exist: check the database name, or create the "
                + "database first");
    }

    @Test
    void aMalformedUriIsRejectedWhereItIsGivenWithoutItsPassword(DatabasePair pair) {
        IllegalArgumentException source = catchThrowableOfType(IllegalArgumentException.class,
                () -> DatabaseCopy.from("postgres://bob:Sup3rS3cret@db.example:notaport/app"));
        IllegalArgumentException target = catchThrowableOfType(IllegalArgumentException.class,
                () -> DatabaseCopy.from(CopyAssertions.spec(pair.source())).to("postgres://bob:Sup3rS3cret@db/a?x"));

        assertThat(source).hasMessageStartingWith("malformed connection string: invalid port number in the URI")
                .message().doesNotContain("\n", "Sup3rS3cret");
        assertThat(target).hasMessageStartingWith("malformed connection string: missing \"=\"")
                .message().doesNotContain("\n", "Sup3rS3cret");
    }

    @Test
    void copyingADatabaseOntoItselfIsRefused(DatabasePair pair) {
        pair.source().execute("CREATE TABLE t (id int)");
        ConnectionSpec spec = CopyAssertions.spec(pair.source());
        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> DatabaseCopy
                .from(spec).to(spec).run());

        assertThat(e.code()).isEqualTo(ErrorCode.SAME_DATABASE);
        ProblemAssertions.codes(e, ErrorCode.SAME_DATABASE);
        ProblemAssertions.problem(e, ErrorCode.SAME_DATABASE, Side.TARGET, pair.source().name());
        assertThat(e.getMessage()).isEqualTo("preflight failed: source and target are the same database ("
                + spec.toUri() + "): give a different target");
    }

    @Test
    void badJobCountsAreRejectedWhereTheyAreSet(DatabasePair pair) {
        CopyBuilder b = DatabaseCopy.from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.target()));
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> b.jobs(0)))
                .hasMessage("jobs must be >= 1, was 0");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> b.indexJobs(-1)))
                .hasMessage("indexJobs must be >= 1, was -1");
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
