package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.Ignore;
import io.pgcopydb.compare.TableComparison;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.Side;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.Sql;
import io.pgcopydb.testkit.server.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The non-superuser profile of a managed service: pagila, owned by an ordinary role on the source, copied into
 * a database where the connecting role is no superuser and holds only CREATE on the database and on schema
 * {@code public}. With {@code noOwner} it must succeed and the data be identical; without it the preflight must
 * refuse, naming the remedy, before anything is written.
 */
@ExtendWith(PostgresPairExtension.class)
class NonSuperuserIT {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RELATIONS = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
            + "c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'";

    /** Everything pagila puts in public, given to the owner: REASSIGN OWNED cannot move it off postgres. */
    private static final String GIVE_PAGILA_TO = """
            DO $$
            DECLARE r record;
            BEGIN
              FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                       JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                         AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                    AND d.deptype IN ('a', 'i')))
              LOOP
                EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                    WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name, '%1$s');
              END LOOP;
              FOR r IN SELECT p.oid::regprocedure AS name, p.prokind FROM pg_proc p
                       JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
              LOOP
                EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.prokind WHEN 'a' THEN 'AGGREGATE'
                    WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, r.name, '%1$s');
              END LOOP;
              FOR r IN SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                       WHERE n.nspname = 'public' AND t.typtype IN ('d', 'e', 'r')
              LOOP
                EXECUTE format('ALTER TYPE %s OWNER TO %I', r.name, '%1$s');
              END LOOP;
              EXECUTE format('ALTER SCHEMA public OWNER TO %I', '%1$s');
            END $$;
            """;

    private final String suffix = "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    private DatabasePair pair;
    private String owner;
    private String app;

    @BeforeEach
    void pagilaOwnedByAnOrdinaryRoleAndATargetRoleWithCreateOnly(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        this.pair = pair;
        this.owner = "owner" + suffix;
        this.app = "app" + suffix;
        Datasets.loadPagila(pair.source());
        pair.source().execute("CREATE ROLE " + owner + " LOGIN");
        pair.source().execute(GIVE_PAGILA_TO.replace("%1$s", owner));
        assertThat(pair.source().queryForLong("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                + "c.relnamespace WHERE n.nspname = 'public' AND c.relowner <> '" + owner + "'::regrole"))
                .as("public relations not owned by " + owner).isZero();
        pair.target().execute("CREATE ROLE " + app + " LOGIN; GRANT CREATE ON DATABASE "
                + Sql.quoteIdent(pair.target().name()) + " TO " + app + "; GRANT CREATE ON SCHEMA public TO " + app);
    }

    @AfterEach
    void dropTheRoles() {
        if (pair == null) {
            return;
        }
        pair.source().execute("REASSIGN OWNED BY " + owner + " TO " + pair.source().server().user()
                + "; DROP OWNED BY " + owner + "; DROP ROLE " + owner);
        pair.target().execute("REASSIGN OWNED BY " + app + " TO " + pair.target().server().user()
                + "; DROP OWNED BY " + app + "; DROP ROLE " + app);
    }

    @Test
    void pagilaCopiesAsNonSuperusersWithNoOwnerAndTheDataIsIdentical() throws Exception {
        RecordingListener listener = new RecordingListener();

        CopyReport report;
        try {
            report = DatabaseCopy.from(spec(pair.source(), owner)).to(spec(pair.target(), app))
                    .noOwner().listener(listener).run();
        } finally {
            listener.assertPaired();
        }

        assertThat(report.status()).isEqualTo(CopyReport.Status.SUCCEEDED);
        assertThat(pair.target().queryForString("SELECT DISTINCT relowner::regrole::text FROM pg_class c JOIN "
                + "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'")).isEqualTo(app);
        for (var e : Datasets.PAGILA_ROW_COUNTS.entrySet()) {
            assertThat(pair.target().queryForLong("SELECT count(*) FROM " + e.getKey())).as(e.getKey())
                    .isEqualTo(e.getValue());
        }
        // The owners differ by design (noOwner), and so do the public schema's and the database's ACLs (the test
        // granted CREATE on them to the target role, and the copy keeps such grants): every other difference is a
        // failure.
        DatabaseCompare compare = DatabaseCompare.of(CopyAssertions.spec(pair.source()),
                CopyAssertions.spec(pair.target()));
        CompareReport strict = compare.all();
        assertThat(strict.differences()).as(strict.toText()).isNotEmpty()
                .allMatch(d -> d.aspect().equals("owner")
                        || List.of("schema public", "database").contains(d.object()) && d.aspect().equals("acl"));
        CompareReport result = compare.ignoring(Ignore.OWNERS).all();
        assertThat(result.differences()).as(result.toText()).extracting(Difference::object, Difference::aspect)
                .containsExactly(tuple("database", "acl"), tuple("schema public", "acl"));
        assertThat(result.tables()).hasSizeGreaterThanOrEqualTo(21).allMatch(TableComparison::identical);
        assertThat(schemaWithoutOwnersNorAcls(pair.target())).isEqualTo(schemaWithoutOwnersNorAcls(pair.source()));
    }

    @Test
    void withoutTheProfileThePreflightNamesEveryRemedyAndWritesNothing() {
        long before = pair.target().queryForLong(RELATIONS);
        RecordingListener listener = new RecordingListener();

        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> {
            try {
                DatabaseCopy.from(spec(pair.source(), owner)).to(spec(pair.target(), app)).listener(listener).run();
            } finally {
                listener.assertPaired();
            }
        });

        assertThat(e.code().category()).isEqualTo(ErrorCode.Category.PREFLIGHT);
        assertThat(e.phase()).contains(Phase.PREFLIGHT);
        assertThat(e.getMessage()).startsWith("preflight failed: ").doesNotContain("\n");
        ProblemAssertions.preflightMessage(e);
        assertThat(ProblemAssertions.problem(e, ErrorCode.ROLE_MISSING, Side.TARGET, owner).toString())
                .isEqualTo("source objects are owned by " + owner + ", which does not exist on the target: create "
                        + "the role on the target, or use noOwner()");
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.code()).isEqualTo(ErrorCode.PRIVILEGE_MISSING);
            assertThat(p.side()).contains(Side.TARGET);
            assertThat(p.object()).contains("public");
            assertThat(p.toString()).isEqualTo("the source's schema public belongs to " + owner + ", and giving the "
                    + "target's schema public to it needs its owner pg_database_owner, which " + app + " is not: use "
                    + "noOwner()");
        });
        assertThat(listener.events("phaseStarted")).extracting(RecordingListener.Event::object)
                .containsExactly("PREFLIGHT");
        assertThat(pair.target().queryForLong(RELATIONS)).as("target relations before and after").isEqualTo(before);
    }

    private static ConnectionSpec spec(TestDatabase db, String user) {
        return ConnectionSpec.jdbc(db.jdbcUrl(), user, null);
    }

    /** {@code pg_dump --schema-only --no-owner --no-acl}, without comments, blank lines and session settings. */
    private static List<String> schemaWithoutOwnersNorAcls(TestDatabase db) throws IOException, InterruptedException {
        PostgresServer server = db.server();
        String pgDump = server.binDirectory().map(d -> d.resolve("pg_dump")).filter(p -> p.toFile().canExecute())
                .map(Path::toString).orElse("pg_dump");
        ProcessBuilder pb = new ProcessBuilder(pgDump, "--schema-only", "--no-owner", "--no-acl", "--host",
                server.host(), "--port", String.valueOf(server.port()), "--username", server.user(), "--dbname",
                db.name()).redirectErrorStream(true);
        server.password().ifPresent(p -> pb.environment().put("PGPASSWORD", p));
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank() && !line.startsWith("--") && !line.startsWith("\\restrict")
                    && !line.startsWith("\\unrestrict") && !line.startsWith("SET ")
                    && !line.startsWith("SELECT pg_catalog.set_config")) {
                lines.add(line);
            }
        }
        return lines;
    }
}
