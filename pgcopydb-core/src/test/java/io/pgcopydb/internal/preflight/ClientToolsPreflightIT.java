package io.pgcopydb.internal.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.ProblemAssertions;
import io.pgcopydb.Versions;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.Side;
import io.pgcopydb.testkit.fault.FakeClientTools;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preflight's client tool problems, against real servers, with the environment the engine would read
 * ({@code System.getenv()}) replaced by one whose {@code PG_CONFIG} points at script stand-ins.
 */
@ExtendWith(PostgresPairExtension.class)
class ClientToolsPreflightIT {
    @TempDir
    Path dir;

    @Test
    void aPgConfigThatPointsNowhereIsOneLineWithTheRemedy(DatabasePair pair) {
        Path nowhere = dir.resolve("nowhere/pg_config");
        int major = sourceMajor(pair);

        PgCopyException e = preflightFails(options(pair.source(), spec(pair.target())), nowhere);

        assertThat(e.code()).isEqualTo(ErrorCode.CLIENT_TOOLS_MISSING);
        ProblemAssertions.codes(e, ErrorCode.CLIENT_TOOLS_MISSING);
        ProblemAssertions.problem(e, ErrorCode.CLIENT_TOOLS_MISSING, null, nowhere.toString());
        assertThat(e.phase()).contains(Phase.PREFLIGHT);
        assertThat(e.getMessage()).isEqualTo("preflight failed: PG_CONFIG=" + nowhere + " could not be run "
                + "(pg_config --bindir failed): set PG_CONFIG to the pg_config of PostgreSQL " + major
                + " or newer, or unset it to search PATH and /usr/lib/postgresql/*/bin");
    }

    @Test
    void aBinDirectoryWithoutTheToolsIsOneLineWithTheRemedy(DatabasePair pair) {
        Path empty = dir.resolve("empty-bin");
        Path pgConfig = FakeClientTools.pgConfig(dir, empty);
        int major = sourceMajor(pair);

        PgCopyException e = preflightFails(options(pair.source(), spec(pair.target())), pgConfig);

        assertThat(e.code()).isEqualTo(ErrorCode.CLIENT_TOOLS_MISSING);
        ProblemAssertions.codes(e, ErrorCode.CLIENT_TOOLS_MISSING);
        ProblemAssertions.problem(e, ErrorCode.CLIENT_TOOLS_MISSING, null, empty.toString());
        assertThat(e.getMessage()).isEqualTo("preflight failed: pg_dump and pg_restore not found in " + empty
                + " (the bindir of PG_CONFIG=" + pgConfig + "): install the PostgreSQL client tools there, or set "
                + "PG_CONFIG to the pg_config of PostgreSQL " + major + " or newer, or unset it to search PATH and "
                + "/usr/lib/postgresql/*/bin");
    }

    @Test
    void aPgDumpOlderThanTheSourceIsOneLineWithTheRemedy(DatabasePair pair) {
        Path old = FakeClientTools.binDirectory(dir.resolve("bin"), "9.6.0");
        Path pgConfig = FakeClientTools.pgConfig(dir, old);
        int major = sourceMajor(pair);

        PgCopyException e = preflightFails(options(pair.source(), spec(pair.target())), pgConfig);

        assertThat(e.code()).isEqualTo(ErrorCode.CLIENT_TOOLS_TOO_OLD);
        ProblemAssertions.codes(e, ErrorCode.CLIENT_TOOLS_TOO_OLD);
        ProblemAssertions.problem(e, ErrorCode.CLIENT_TOOLS_TOO_OLD, null, old.toString());
        assertThat(e.getMessage()).isEqualTo("preflight failed: pg_dump 9 cannot dump a PostgreSQL " + major
                + " server (" + old + ", the bindir of PG_CONFIG=" + pgConfig + "): set PG_CONFIG to the "
                + "pg_config of PostgreSQL " + major + " or newer, or unset it to search PATH and "
                + "/usr/lib/postgresql/*/bin");
    }

    @Test
    void aPgConfigNamingTheServersOwnToolsPasses(DatabasePair pair) {
        Path bin = pair.source().server().binDirectory().orElse(null);
        assumeTrue(bin != null, "the source server's bin directory is unknown");
        Path pgConfig = FakeClientTools.pgConfig(dir, bin);

        Preflight.Result result = Preflight.check(options(pair.source(), spec(pair.target())),
                Map.of("PG_CONFIG", pgConfig.toString()));

        assertThat(result.tools().binDirectory()).as("the stand-in pg_config is followed").isEqualTo(bin);
    }

    @Test
    void givenClientToolsWinOverPgConfigAndTheResultNamesBothVersionsAndTheTools(DatabasePair pair) {
        Path bin = pair.source().server().binDirectory().orElse(null);
        assumeTrue(bin != null, "the source server's bin directory is unknown");
        CopyOptions options = DatabaseCopy.from(spec(pair.source())).to(spec(pair.target())).clientTools(bin)
                .options();

        Preflight.Result result = Preflight.check(options, Map.of("PG_CONFIG",
                dir.resolve("nowhere/pg_config").toString()));

        String version = pair.source().queryForString("SELECT split_part(current_setting('server_version'), ' ', 1)");
        Versions versions = result.versions();
        assertThat(versions.source()).isEqualTo(version);
        assertThat(versions.target()).isEqualTo(version);
        assertThat(versions.clientToolsDirectory()).isEqualTo(bin);
        assertThat(versions.clientTools()).as("pg_dump 15.x here").startsWith(versions.sourceMajor() + ".");
        assertThat(versions.downgrade()).isFalse();
        assertThat(versions.toString()).isEqualTo("source PostgreSQL " + version + " → target PostgreSQL " + version
                + ", pg_dump/pg_restore " + versions.clientTools() + " (" + bin + ")");
        assertThat(result.tools().reason()).startsWith("given by clientTools(" + bin + "), which wins over PG_CONFIG=");
    }

    @Test
    void givenClientToolsTooOldForTheSourceAreRefusedWithTheRemedy(DatabasePair pair) {
        Path old = FakeClientTools.binDirectory(dir.resolve("bin"), "12.22");
        int major = sourceMajor(pair);
        CopyOptions options = DatabaseCopy.from(spec(pair.source())).to(spec(pair.target())).clientTools(old)
                .options();

        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> Preflight.check(options, Map.of()));

        ProblemAssertions.codes(e, ErrorCode.CLIENT_TOOLS_TOO_OLD);
        assertThat(e.getMessage()).isEqualTo("preflight failed: pg_dump 12 cannot dump a PostgreSQL " + major
                + " server (" + old + ", given by clientTools(" + old + ")): give clientTools(dir) the bin directory "
                + "of PostgreSQL " + major + "'s client tools or newer");
    }

    @Test
    void anUnknownTargetDatabaseAndMissingToolsAreReportedTogether(DatabasePair pair) {
        PostgresServer server = pair.target().server();
        ConnectionSpec missing = ConnectionSpec.jdbc(server.jdbcUrl("no_such_db"), server.user(),
                server.password().orElse(null));
        Path nowhere = dir.resolve("nowhere/pg_config");

        PgCopyException e = preflightFails(options(pair.source(), missing), nowhere);

        assertThat(e.code()).as("a connection problem outranks the others").isEqualTo(ErrorCode.DATABASE_NOT_FOUND);
        ProblemAssertions.codes(e, ErrorCode.DATABASE_NOT_FOUND, ErrorCode.CLIENT_TOOLS_MISSING);
        ProblemAssertions.problem(e, ErrorCode.DATABASE_NOT_FOUND, Side.TARGET, "no_such_db");
        ProblemAssertions.problem(e, ErrorCode.CLIENT_TOOLS_MISSING, null, nowhere.toString());
        assertThat(e.sqlState()).contains("3D000");
        assertThat(e.object()).contains("no_such_db");
        assertThat(e.getCause()).isInstanceOf(java.sql.SQLException.class);
        ProblemAssertions.preflightMessage(e);
        assertThat(e.getMessage()).doesNotContain("\n")
                .startsWith("preflight failed: cannot connect to the target " + missing.toUri() + ": FATAL: database "
                        + "\"no_such_db\" does not exist: check the database name, or create the database first; ")
                .endsWith("; PG_CONFIG=" + nowhere + " could not be run (pg_config --bindir failed): set PG_CONFIG "
                        + "to the pg_config of PostgreSQL " + sourceMajor(pair) + " or newer, or unset it to search "
                        + "PATH and /usr/lib/postgresql/*/bin");
    }

    private static PgCopyException preflightFails(CopyOptions options, Path pgConfig) {
        return catchThrowableOfType(PgCopyException.class,
                () -> Preflight.check(options, Map.of("PG_CONFIG", pgConfig.toString())));
    }

    private static CopyOptions options(TestDatabase source, ConnectionSpec target) {
        return DatabaseCopy.from(spec(source)).to(target).options();
    }

    private static ConnectionSpec spec(TestDatabase db) {
        return ConnectionSpec.jdbc(db.jdbcUrl(), db.server().user(), db.server().password().orElse(null));
    }

    private static int sourceMajor(DatabasePair pair) {
        return pair.source().server().serverVersionNum() / 10000;
    }
}
