package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in a real child JVM, as a script runs it: options from their {@code PGCOPYDB_*} variables, flags
 * winning over them, {@code --json} parsed back and checked against the databases, {@code summary.json} in the work
 * directory, {@code PGCOPYDB_LOG_JSON=true} making every line of standard error one JSON object, {@code --quiet}.
 */
@ExtendWith(PostgresPairExtension.class)
class EnvironmentCommandIT {
    private static final String SCHEMA = """
            CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
            INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 3000) g;
            CREATE TABLE orders (id bigserial PRIMARY KEY, customer int REFERENCES customers, total numeric);
            INSERT INTO orders (customer, total) SELECT 1 + g % 3000, g / 7.0 FROM generate_series(1, 12000) g;
            CREATE INDEX orders_customer ON orders (customer);
            ANALYZE""";

    @Test
    void variablesOverrideDefaultsAndFlagsOverrideBoth(DatabasePair pair, @TempDir Path dirs) throws Exception {
        pair.source().execute(SCHEMA);
        Path first = dirs.resolve("first");
        Path second = dirs.resolve("second");
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "PGCOPYDB_SOURCE_PGURI", CommandRun.connectionString(pair.source()),
                "PGCOPYDB_TARGET_PGURI", CommandRun.connectionString(pair.target()),
                "PGCOPYDB_TABLE_JOBS", "3",
                "PGCOPYDB_INDEX_JOBS", "3",
                "PGCOPYDB_DIR", first.toString(),
                "PGCOPYDB_SKIP_VACUUM", "yes"));

        CommandRun run = CommandRun.inChildJvm(env, "clone", "--json", "--progress", "none");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Map<String, Object> report = Json.object(run.out());
        assertThat(report.get("status")).isEqualTo("SUCCEEDED");
        assertThat(concurrency(report, "COPY (cumulative)")).as("PGCOPYDB_TABLE_JOBS").isEqualTo(3);
        assertThat(concurrency(report, "CREATE INDEX (cumulative)")).as("PGCOPYDB_INDEX_JOBS").isEqualTo(3);
        assertRowsAsInTheDatabases(report, pair);
        assertThat(maintenance(pair.target())).as("PGCOPYDB_SKIP_VACUUM=yes: no VACUUM nor ANALYZE").isZero();
        Map<String, Object> summary = Json.object(Files.readString(first.resolve("summary.json")));
        assertThat(summary).as("summary.json in PGCOPYDB_DIR: the report printed").isEqualTo(report);
        CommandRun.assertIdentical(pair);

        // Again into the same target, which PGCOPYDB_DROP_IF_EXISTS=on empties; flags win over their variables.
        env.put("PGCOPYDB_DROP_IF_EXISTS", "on");
        env.put("PGCOPYDB_SKIP_VACUUM", "0");
        CommandRun again = CommandRun.inChildJvm(env, "clone", "--json", "--progress", "none", "--table-jobs", "2",
                "--dir", second.toString());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        Map<String, Object> report2 = Json.object(again.out());
        assertThat(concurrency(report2, "COPY (cumulative)")).as("--table-jobs over PGCOPYDB_TABLE_JOBS").isEqualTo(2);
        assertThat(concurrency(report2, "CREATE INDEX (cumulative)")).isEqualTo(3);
        assertRowsAsInTheDatabases(report2, pair);
        assertThat(maintenance(pair.target())).as("PGCOPYDB_SKIP_VACUUM=0: the tables vacuumed").isPositive();
        assertThat(Json.object(Files.readString(second.resolve("summary.json"))).get("run_id"))
                .as("--dir over PGCOPYDB_DIR").isEqualTo(report2.get("run_id"));
        assertThat(Json.object(Files.readString(first.resolve("summary.json"))).get("run_id"))
                .as("the first run's summary left alone").isEqualTo(report.get("run_id"));
        CommandRun.assertIdentical(pair);
    }

    @Test
    void aBadValueInTheEnvironmentIsOneLineNamingTheVariable() {
        CommandRun run = CommandRun.inChildJvm(Map.of("PGCOPYDB_SPLIT_MAX_PARTS", "many"), "clone", "--source",
                "postgres://u@localhost:1/a", "--target", "postgres://u@localhost:1/b");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).containsExactly("pgcopydb: PGCOPYDB_SPLIT_MAX_PARTS (--split-max-parts) must be a "
                + "number, was 'many': fix or unset it (see 'pgcopydb clone --help')");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void withLogJsonEveryLineOfStandardErrorIsOneJsonObjectWithoutThePassword(DatabasePair pair) {
        pair.source().execute(SCHEMA);
        String secret = "Pw-" + System.nanoTime();
        // The test servers trust local connections: a password in the URI is accepted and never needed.
        String source = withPassword(CommandRun.connectionString(pair.source()), secret);
        org.junit.jupiter.api.Assumptions.assumeTrue(source.contains(secret), "the servers' URIs carry a password");
        Map<String, String> env = Map.of("PGCOPYDB_LOG_JSON", "true", "PGCOPYDB_LOG_LEVEL", "notice");

        CommandRun run = CommandRun.logged(env, "clone", "--source", source, "--target",
                CommandRun.connectionString(pair.target()), "--progress-interval", "1");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<Map<String, Object>> lines = run.errLines().stream().map(Json::object).toList();
        assertThat(lines).as("every line an object with the log's fields").isNotEmpty().allSatisfy(line ->
                assertThat(line).containsKeys("time", "level", "thread", "logger", "message"));
        assertThat(lines).as("the run's lines carry its id").anySatisfy(line -> assertThat(line)
                .containsEntry("level", "INFO").containsKey("run_id")
                .hasEntrySatisfying("message", m -> assertThat((String) m).startsWith("STEP 5")));
        assertThat(lines).as("PGCOPYDB_LOG_LEVEL=notice: the statements run on the target").anySatisfy(line ->
                assertThat(line).containsEntry("level", "DEBUG")
                        .hasEntrySatisfying("message", m -> assertThat((String) m).startsWith("CREATE INDEX")));
        assertThat(run.out()).as("the tables on standard output").contains("Total Wall Clock Duration");
        assertThat(run.out() + run.err()).doesNotContain(secret);
        CommandRun.assertIdentical(pair);

        CommandRun failed = CommandRun.logged(env, "clone", "--source", source, "--target",
                "postgres://nobody:" + secret + "@localhost:1/nowhere");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.CONNECTION_FAILED);
        List<Map<String, Object>> failure = failed.errLines().stream().map(Json::object).toList();
        assertThat(failure.get(failure.size() - 1)).as("the failure's one line, as JSON")
                .containsEntry("level", "ERROR").containsEntry("logger", "pgcopydb");
        assertThat(failed.out() + failed.err()).doesNotContain(secret);
    }

    @Test
    void quietLogsNoInfoAndVerboseWinsOverTheVariable(DatabasePair pair) {
        pair.source().execute(SCHEMA);
        String source = CommandRun.connectionString(pair.source());
        String target = CommandRun.connectionString(pair.target());

        CommandRun quiet = CommandRun.logged(Map.of(), "clone", "--source", source, "--target", target, "--quiet");

        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.errLines()).as("no INFO line, no progress").noneMatch(l -> l.contains(" INFO "));
        assertThat(quiet.out()).contains("Total Wall Clock Duration");
        CommandRun.assertIdentical(pair);

        CommandRun verbose = CommandRun.logged(Map.of("PGCOPYDB_LOG_LEVEL", "error", "PGCOPYDB_DROP_IF_EXISTS",
                "true"), "clone", "--source", source, "--target", target, "--verbose");

        assertThat(verbose.exitCode()).as(verbose.toString()).isZero();
        assertThat(verbose.errLines()).as("--verbose over PGCOPYDB_LOG_LEVEL=error").anyMatch(l -> l.contains(
                " INFO StepRunner - STEP 1")).anyMatch(l -> l.contains(" DEBUG DefaultIndexBuilder - CREATE INDEX"))
                .as("the DEBUG of other steps stays out").noneMatch(l -> l.contains(" DEBUG ToolRunner"));
    }

    private static int concurrency(Map<String, Object> report, String label) {
        return steps(report).stream().filter(s -> label.equals(s.get("label"))).findFirst()
                .map(s -> ((BigDecimal) s.get("concurrency")).intValueExact())
                .orElseThrow(() -> new AssertionError("no step " + label + " in " + report));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("steps");
    }

    /** Each table of the report has the rows both databases hold. */
    @SuppressWarnings("unchecked")
    private static void assertRowsAsInTheDatabases(Map<String, Object> report, DatabasePair pair) {
        List<Map<String, Object>> tables = (List<Map<String, Object>>) report.get("tables");
        assertThat(tables).extracting(t -> t.get("name")).containsExactlyInAnyOrder("customers", "orders");
        for (Map<String, Object> t : tables) {
            String table = t.get("schema") + "." + t.get("name");
            long rows = ((BigDecimal) t.get("rows")).longValueExact();
            assertThat(rows).as("rows of %s in the report, on the source", table)
                    .isEqualTo(pair.source().queryForLong("SELECT count(*) FROM " + table))
                    .isEqualTo(pair.target().queryForLong("SELECT count(*) FROM " + table));
            assertThat(t.get("outcome")).isEqualTo("DONE");
        }
    }

    /** The manual VACUUMs and ANALYZEs of the target's tables (autovacuum's are counted apart). */
    private static long maintenance(TestDatabase target) {
        return target.queryForLong("SELECT coalesce(sum(vacuum_count + analyze_count), 0) FROM pg_stat_user_tables");
    }

    private static String withPassword(String uri, String password) {
        if (uri.startsWith("postgres")) {
            return uri.replaceFirst("^(postgres(?:ql)?://)([^:@/]+)@", "$1$2:" + password + "@");
        }
        return uri; // a JDBC URL with its own password (external or Docker servers)
    }
}
