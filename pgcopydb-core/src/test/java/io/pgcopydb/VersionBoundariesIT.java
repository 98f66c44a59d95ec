package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.model.Side;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPair;
import io.pgcopydb.testkit.sample.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The edges of the supported versions, on real servers of those versions (issue 14): a source newer than every
 * pg_dump on the machine is refused in preflight before any write, with the remedy; a downgrade copies pagila
 * exactly with a warning; a downgrade of a schema using what the older target cannot hold is refused in preflight,
 * naming the object.
 */
class VersionBoundariesIT {
    private static final String RELATIONS = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
            + "c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'";

    @Test
    @PostgresPair(source = 17, target = 15)
    void aSourceNewerThanEveryPgDumpIsRefusedBeforeAnyWrite(DatabasePair pair) throws Exception {
        Assumptions.assumeFalse(hasClientToolsOf(17), "this machine has pg_dump 17 or newer");
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
        RecordingListener listener = new RecordingListener();

        PgCopyException e = catchThrowableOfType(PgCopyException.class,
                () -> CopyAssertions.copy(pair, listener, b -> b));

        assertThat(e.code()).isEqualTo(ErrorCode.CLIENT_TOOLS_TOO_OLD);
        assertThat(e.phase()).contains(Phase.PREFLIGHT);
        Problem tooOld = e.problems().stream().filter(p -> p.code() == ErrorCode.CLIENT_TOOLS_TOO_OLD).findFirst()
                .orElseThrow();
        assertThat(tooOld.toString()).startsWith("pg_dump 15 cannot dump a PostgreSQL 17 server")
                .contains("install PostgreSQL 17's client tools and set PG_CONFIG or clientTools(dir)");
        assertThat(e.getMessage()).doesNotContain("\n");
        assertThat(pair.target().queryForLong(RELATIONS)).as("nothing written").isZero();
    }

    @Test
    @PostgresPair(source = 15, target = 12)
    void aDowngradeOfPagilaIsExactAndWarned(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.jobs(2).indexJobs(2));

        assertThat(report.succeeded()).isTrue();
        assertThat(report.warnings()).anyMatch(w -> w.contains("downgrade from PostgreSQL 15")
                && w.contains("to 12"));
        assertThat(report.versions().orElseThrow().toString()).isNotEmpty();
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    @PostgresPair(source = 15, target = 12)
    void aDowngradeOfWhatTheTargetCannotHoldIsRefusedNamingIt(DatabasePair pair) {
        pair.source().execute("CREATE TABLE film (id int PRIMARY KEY, code text);"
                + "CREATE UNIQUE INDEX film_code_key ON film (code) NULLS NOT DISTINCT;"
                + "INSERT INTO film VALUES (1, NULL)");

        PgCopyException e = catchThrowableOfType(PgCopyException.class,
                () -> CopyAssertions.copy(pair, new RecordingListener(), b -> b));

        assertThat(e.code()).isEqualTo(ErrorCode.TARGET_TOO_OLD);
        assertThat(e.phase()).contains(Phase.PREFLIGHT);
        Problem problem = ProblemAssertions.problem(e, ErrorCode.TARGET_TOO_OLD, Side.TARGET, "index public.film_code_key");
        assertThat(problem.message()).contains("NULLS NOT DISTINCT").contains("PostgreSQL 12");
        assertThat(pair.target().queryForLong(RELATIONS)).as("nothing written").isZero();
    }

    @Test
    @PostgresPair(source = 15, target = 17)
    void lz4ColumnsIntoAServerBuiltWithoutLz4AreRefusedNamingThem(DatabasePair pair) {
        Assumptions.assumeTrue(EveryKindVariant.hasLz4(pair.source().server()), "the source server has no lz4");
        Assumptions.assumeFalse(EveryKindVariant.hasLz4(pair.target().server()), "the target server has lz4");
        pair.source().execute("CREATE TABLE doc (id int PRIMARY KEY, body text COMPRESSION lz4);"
                + "INSERT INTO doc VALUES (1, repeat('x', 10000))");

        PgCopyException e = catchThrowableOfType(PgCopyException.class,
                () -> CopyAssertions.copy(pair, new RecordingListener(), b -> b));

        assertThat(e.phase()).contains(Phase.PREFLIGHT);
        Problem problem = ProblemAssertions.problem(e, ErrorCode.TARGET_PREREQUISITE_MISSING, Side.TARGET,
                "column public.doc.body");
        assertThat(problem.toString()).isEqualTo("the target server was built without lz4, and the source "
                + "compresses 1 column with it (public.doc.body): set their compression to pglz on the source (ALTER "
                + "TABLE … ALTER COLUMN … SET COMPRESSION pglz), or copy into a server built with lz4");
        assertThat(pair.target().queryForLong(RELATIONS)).as("nothing written").isZero();
    }

    /** Whether PATH or /usr/lib/postgresql has a pg_dump of {@code major} or newer. */
    static boolean hasClientToolsOf(int major) throws Exception {
        Path packaged = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(packaged)) {
            try (var dirs = Files.list(packaged)) {
                if (dirs.map(d -> d.getFileName().toString()).filter(n -> n.matches("\\d+"))
                        .anyMatch(n -> Integer.parseInt(n) >= major)) {
                    return true;
                }
            }
        }
        try {
            Process p = new ProcessBuilder("pg_dump", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.").matcher(out);
            return m.find() && Integer.parseInt(m.group(1)) >= major;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
