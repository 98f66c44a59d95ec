package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code list progress} on a copy running in a child JVM, then on the same work directory after {@code kill -9}:
 * the finished, running and pending tables as the journal and the plan say.
 *
 * <p>Two tables are slowed down on the target only: a {@code CHECK} calls a function that sleeps, replaced after
 * the source's rows were checked, so the source is quick to fill and the target's COPY of those tables runs for
 * minutes. With two table jobs and tables taken largest first, the first job sits in {@code slow_big}, the second
 * copies {@code a} and {@code b}, then sits in {@code slow_small}: {@code d} and {@code e} stay pending.
 */
@ExtendWith(PostgresPairExtension.class)
class ListProgressIT {

    @Test
    void tellsRunningThenInterruptedFinishedAndPendingTables(DatabasePair pair, @TempDir Path dir) throws Exception {
        pair.source().execute("""
                CREATE FUNCTION public.slow(integer) RETURNS boolean LANGUAGE sql AS 'SELECT true';
                CREATE TABLE public.slow_big (id int PRIMARY KEY CHECK (public.slow(id)), pad text);
                CREATE TABLE public.slow_small (id int PRIMARY KEY CHECK (public.slow(id)), pad text);
                INSERT INTO public.slow_big SELECT g, (SELECT string_agg(md5(random()::text || g || h), '')
                    FROM generate_series(1, 1500) h) FROM generate_series(1, 40) g;
                INSERT INTO public.slow_small SELECT g, (SELECT string_agg(md5(random()::text || g || h), '')
                    FROM generate_series(1, 750) h) FROM generate_series(1, 10) g;
                CREATE TABLE public.a (id int PRIMARY KEY, pad text);
                INSERT INTO public.a SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 4000) g;
                CREATE TABLE public.b (id int PRIMARY KEY, pad text);
                INSERT INTO public.b SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 2500) g;
                CREATE TABLE public.d (id int PRIMARY KEY, pad text);
                INSERT INTO public.d SELECT g, md5(g::text) FROM generate_series(1, 500) g;
                CREATE TABLE public.e (id int PRIMARY KEY);
                INSERT INTO public.e SELECT generate_series(1, 50);
                CREATE OR REPLACE FUNCTION public.slow(integer) RETURNS boolean LANGUAGE sql
                    AS 'SELECT pg_sleep(3) IS NOT NULL';
                """);
        pair.source().execute("VACUUM ANALYZE");
        Map<String, Long> oids = new java.util.HashMap<>();
        for (String t : List.of("slow_big", "slow_small", "a", "b", "d", "e")) {
            oids.put(t, pair.source().queryForLong("SELECT 'public." + t + "'::regclass::oid"));
        }
        assertThat(sizes(pair, List.of("slow_big", "a", "b", "slow_small", "d", "e")))
                .as("the tables' sizes put them in this order, largest first").isSortedAccordingTo(
                        java.util.Comparator.reverseOrder());
        Path work = dir.resolve("work");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), PgCopyDbCommand.class.getName(), "clone",
                "--source", CommandRun.connectionString(pair.source()), "--target",
                CommandRun.connectionString(pair.target()), "--dir", work.toString(), "--table-jobs", "2",
                "--index-jobs", "2"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            waitFor(() -> has(work.resolve("journal"), "PART\t" + oids.get("a") + "/1")
                    && has(work.resolve("journal"), "PART\t" + oids.get("b") + "/1")
                    && has(work.resolve("activity"), "STARTED\tPART\t" + oids.get("slow_small") + "/1"),
                    child, dir.resolve("child.log"));

            CommandRun live = CommandRun.inChildJvm(Map.of(), "list", "progress", "--dir", work.toString(), "--json");

            assertThat(live.exitCode()).as(live.toString()).isZero();
            Map<String, Object> running = Json.object(live.out());
            assertThat(running.get("state")).isEqualTo("running");
            assertThat(Json.number(running.get("pid"))).isEqualTo(child.pid());
            Map<String, String> states = tableStates(running, oids);
            assertThat(states).containsEntry("slow_big", "in_progress").containsEntry("slow_small", "in_progress")
                    .containsEntry("a", "done").containsEntry("b", "done")
                    .containsEntry("d", "pending").containsEntry("e", "pending");
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // The target's sessions sleep in the CHECK until they read the end of the dead client's data.
            pair.target().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }

        CommandRun json = CommandRun.inChildJvm(Map.of(), "list", "progress", "--dir", work.toString(), "--json");
        CommandRun text = CommandRun.inChildJvm(Map.of(), "list", "progress", "--dir", work.toString());

        assertThat(json.exitCode()).as(json.toString()).isZero();
        Map<String, Object> status = Json.object(json.out());
        assertThat(status.get("state")).isEqualTo("interrupted");
        assertThat(status.get("pid")).isNull();
        assertThat(status.get("plan_known")).isEqualTo(true);
        Map<String, String> states = tableStates(status, oids);
        assertThat(states).containsOnly(Map.entry("slow_big", "interrupted"), Map.entry("slow_small", "interrupted"),
                Map.entry("a", "done"), Map.entry("b", "done"), Map.entry("d", "pending"),
                Map.entry("e", "pending"));
        Map<String, Object> tables = Json.map(status.get("tables"));
        assertThat(Json.number(tables.get("total"))).isEqualTo(6);
        assertThat(Json.number(tables.get("done"))).isEqualTo(2);
        assertThat(Json.number(tables.get("pending"))).isEqualTo(2);
        Map<String, Object> a = Json.maps(tables.get("items")).stream()
                .filter(t -> Json.number(t.get("oid")) == oids.get("a")).findFirst().orElseThrow();
        assertThat(Json.number(a.get("rows"))).as("rows of a, from the journal")
                .isEqualTo(pair.source().queryForLong("SELECT count(*) FROM public.a"));
        assertThat(a.get("name")).isEqualTo("public.a");
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.a")).as("a is really on the target")
                .isEqualTo(4000);
        Map<String, String> steps = Json.maps(status.get("steps")).stream().collect(Collectors.toMap(
                s -> (String) s.get("step"), s -> (String) s.get("state")));
        assertThat(steps).containsEntry("preflight", "done").containsEntry("prepare_schema", "done")
                .containsEntry("copy_data", "interrupted").containsEntry("finalize_schema", "pending");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("interrupted, no run holds it")
                .containsPattern("Tables +\\| +6 \\| +2 \\| +0 \\| +2 \\| +0 \\| +2")
                .containsPattern("public\\.d +\\|.*pending");
    }

    @Test
    void aDirectoryThatDoesNotExistIsAUsageError(@TempDir Path dir) {
        CommandRun run = CommandRun.execute("list", "progress", "--dir", dir.resolve("nothing").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString().startsWith("pgcopydb: no work directory at ");
    }

    private static List<Long> sizes(DatabasePair pair, List<String> tables) {
        return tables.stream().map(t -> pair.source().queryForLong("SELECT pg_table_size('public." + t + "')"))
                .toList();
    }

    private static Map<String, String> tableStates(Map<String, Object> status, Map<String, Long> oids) {
        Function<Long, String> name = oid -> oids.entrySet().stream().filter(e -> e.getValue().equals(oid))
                .map(Map.Entry::getKey).findFirst().orElse("oid " + oid);
        return Json.maps(Json.map(status.get("tables")).get("items")).stream().collect(Collectors.toMap(
                t -> name.apply(Json.number(t.get("oid"))), t -> (String) t.get("state")));
    }

    private static boolean has(Path file, String text) throws IOException {
        return Files.exists(file) && Files.readString(file).contains(text);
    }

    private interface Check {
        boolean holds() throws IOException;
    }

    private static void waitFor(Check check, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!check.holds()) {
            assertThat(child.isAlive()).as("the copy is still running; its log:\n%s", Files.readString(log))
                    .isTrue();
            assertThat(System.nanoTime()).as("the copy reached a, b and slow_small within 120 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
