package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog listings, {@code ping} and {@code version}, each run as a user runs it (a child JVM through
 * {@code main}), their {@code --json} parsed back and checked against the servers' catalogs.
 */
@ExtendWith(PostgresPairExtension.class)
class ListJsonIT {

    @Test
    void listingsMatchTheCatalog(DatabasePair pair, @TempDir Path dir) throws IOException {
        pair.source().execute("""
                CREATE TABLE public.base (id int PRIMARY KEY, name text COLLATE "C");
                INSERT INTO public.base SELECT g, 'n' || g FROM generate_series(1, 100) g;
                CREATE VIEW public.base_view AS SELECT id, name FROM public.base;
                CREATE MATERIALIZED VIEW public.base_names AS SELECT name FROM public.base;
                CREATE TABLE public.keyed (id bigint PRIMARY KEY, pad text);
                INSERT INTO public.keyed SELECT g, repeat(md5(g::text), 2) FROM generate_series(1, 20000) g;
                CREATE TABLE public.heap (pad text);
                INSERT INTO public.heap SELECT repeat(md5(g::text), 2) FROM generate_series(1, 20000) g;
                """);
        String source = CommandRun.connectionString(pair.source());
        Path filters = Files.writeString(dir.resolve("filters.ini"), "[exclude-table]\npublic.base\n");

        Map<String, Object> databases = json("list", "databases", "--source", source, "--json");
        Map<String, Object> extensions = json("list", "extensions", "--source", source, "--json");
        Map<String, Object> collations = json("list", "collations", "--source", source, "--json");
        Map<String, Object> tables = json("list", "tables", "--source", source, "--json");
        Map<String, Object> depends = json("list", "depends", "--source", source, "--filters", filters.toString(),
                "--json");
        Map<String, Object> schema = json("list", "schema", "--source", source, "--filters", filters.toString(),
                "--json");

        Map<String, Long> databaseOids = Json.maps(databases.get("databases")).stream().collect(Collectors.toMap(
                d -> (String) d.get("name"), d -> Json.number(d.get("oid"))));
        assertThat(databaseOids).containsEntry(pair.source().name(),
                pair.source().queryForLong("SELECT oid FROM pg_database WHERE datname = current_database()"))
                .doesNotContainKeys("template0", "template1");
        Map<String, Object> plpgsql = Json.maps(extensions.get("extensions")).stream()
                .filter(e -> e.get("name").equals("plpgsql")).findFirst().orElseThrow();
        assertThat(plpgsql.get("version")).isEqualTo(pair.source().queryForString(
                "SELECT extversion FROM pg_extension WHERE extname = 'plpgsql'"));
        assertThat(Json.maps(collations.get("collations"))).as(collations.toString())
                .anySatisfy(c -> {
                    assertThat(c.get("name")).isEqualTo("C");
                    assertThat(Json.number(c.get("oid"))).isEqualTo(pair.source().queryForLong(
                            "SELECT oid FROM pg_collation WHERE collname = 'C'"));
                });
        Map<String, Long> tableOids = Json.maps(tables.get("tables")).stream().collect(Collectors.toMap(
                t -> t.get("schema") + "." + t.get("name"), t -> Json.number(t.get("oid"))));
        assertThat(tableOids).containsOnlyKeys("public.base", "public.keyed", "public.heap", "public.base_names");
        assertThat(tableOids.get("public.keyed")).isEqualTo(pair.source().queryForLong(
                "SELECT 'public.keyed'::regclass::oid"));
        Set<String> left = Json.maps(depends.get("dependencies")).stream()
                .map(d -> d.get("type") + " " + d.get("identity")).collect(Collectors.toSet());
        assertThat(left).as(depends.toString()).contains("view public.base_view", "index public.base_pkey",
                "materialized view public.base_names");
        assertThat(left).as("the skipped table itself is no dependent").doesNotContain("table public.base");
        assertThat(Json.maps(schema.get("tables")).stream().map(t -> t.get("name")))
                .containsExactlyInAnyOrder("keyed", "heap");
        assertThat(Json.maps(schema.get("indexes")).stream().map(t -> t.get("name")))
                .containsExactlyInAnyOrder("keyed_pkey");
    }

    @Test
    void tablePartsAreThePlannersCut(DatabasePair pair) {
        pair.source().execute("""
                CREATE TABLE public.keyed (id bigint PRIMARY KEY, pad text);
                INSERT INTO public.keyed SELECT g, repeat(md5(g::text), 2) FROM generate_series(1, 20000) g;
                CREATE TABLE public.heap (pad text);
                INSERT INTO public.heap SELECT repeat(md5(g::text), 2) FROM generate_series(1, 20000) g;
                """);
        String source = CommandRun.connectionString(pair.source());

        Map<String, Object> keyed = json("list", "table-parts", "--source", source, "--table-name", "keyed",
                "--split-tables-larger-than", "500kB", "--split-max-parts", "3", "--json");
        Map<String, Object> heap = json("list", "table-parts", "--source", source, "--schema-name", "public",
                "--table-name", "heap", "--split-tables-larger-than", "500kB", "--split-max-parts", "3", "--json");
        Map<String, Object> whole = json("list", "table-parts", "--source", source, "--table-name", "heap",
                "--split-tables-larger-than", "500kB", "--skip-split-by-ctid", "--json");
        CommandRun missing = CommandRun.execute("list", "table-parts", "--source", source, "--table-name", "nope");

        assertThat(keyed.get("split")).isEqualTo("by_value");
        List<Map<String, Object>> parts = Json.maps(keyed.get("parts"));
        assertThat(parts).hasSize(3).allSatisfy(p -> assertThat((String) p.get("predicate")).contains("\"id\""));
        assertThat(parts.stream().mapToLong(p -> Json.number(p.get("bytes"))).sum())
                .isEqualTo(pair.source().queryForLong("SELECT pg_table_size('public.keyed')"));
        assertThat(heap.get("split")).isEqualTo("by_page");
        assertThat(Json.maps(heap.get("parts"))).hasSize(3)
                .allSatisfy(p -> assertThat((String) p.get("predicate")).contains("ctid"));
        assertThat(whole.get("split")).isEqualTo("none");
        assertThat(Json.maps(whole.get("parts"))).singleElement()
                .satisfies(p -> assertThat(p.get("predicate")).isNull());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.errLines()).singleElement().asString()
                .isEqualTo("pgcopydb: the source has no table public.nope to copy: give one that 'list tables' "
                        + "shows");
    }

    @Test
    void pingAndVersionTellTheServersVersions(DatabasePair pair) throws IOException {
        String source = CommandRun.connectionString(pair.source());
        String target = CommandRun.connectionString(pair.target());
        String closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = "postgres://nobody@127.0.0.1:" + socket.getLocalPort() + "/nothing";
        }

        Map<String, Object> ping = json("ping", "--source", source, "--target", target, "--json");
        CommandRun text = CommandRun.inChildJvm(Map.of(), "ping", "--source", source, "--target", target);
        CommandRun down = CommandRun.inChildJvm(Map.of(), "ping", "--source", source, "--target", closed, "--json");
        Map<String, Object> version = json("version", "--source", source, "--json");

        String serverVersion = pair.source().queryForString("SHOW server_version");
        assertThat(Json.map(ping.get("source")).get("version")).isEqualTo(serverVersion);
        assertThat(Json.map(ping.get("source")).get("ok")).isEqualTo(true);
        assertThat(Json.number(Json.map(ping.get("target")).get("version_num"))).isEqualTo(
                pair.target().queryForLong("SHOW server_version_num"));
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out().lines()).hasSize(2).first().asString()
                .startsWith("source PostgreSQL " + serverVersion + ", connected in ");
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(ExitCodes.CONNECTION_FAILED);
        assertThat(down.errLines()).singleElement().asString().startsWith("pgcopydb: cannot connect to the target");
        Map<String, Object> downJson = Json.object(down.out());
        assertThat(Json.map(downJson.get("source")).get("ok")).isEqualTo(true);
        assertThat(Json.map(downJson.get("target")).get("ok")).isEqualTo(false);
        assertThat((String) Json.map(downJson.get("target")).get("error")).contains("127.0.0.1");
        assertThat(Json.map(version.get("source")).get("version")).isEqualTo(serverVersion);
        assertThat((String) version.get("pgcopydb")).isNotBlank();
        assertThat(version.get("java")).isEqualTo(System.getProperty("java.version"));
        assertThat(Json.map(version.get("client_tools"))).containsKey("version");
    }

    @Test
    void snapshotIsHeldUntilInterruptedThenReleased(DatabasePair pair, @TempDir Path dir) throws Exception {
        Sigint.assumeDelivered();
        Path work = dir.resolve("work");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                PgCopyDbCommand.class.getName(), "snapshot", "--source", CommandRun.connectionString(pair.source()),
                "--dir", work.toString());
        Process child = new ProcessBuilder(command).redirectError(dir.resolve("err.log").toFile()).start();
        String id;
        try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            id = out.readLine();
            assertThat(id).as("the snapshot's id, first line of standard output; stderr: %s",
                    Files.readString(dir.resolve("err.log"))).matches("[0-9A-F]+-[0-9A-F]+-[0-9]+");
            assertThat(Files.readString(work.resolve("snapshot")).strip()).isEqualTo(id);
            assertThat(imports(pair, id)).as("the snapshot is held: a session imports it").isTrue();

            new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();

            assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(out.readLine()).isNull();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as(Files.readString(dir.resolve("err.log"))).isZero();
        assertThat(imports(pair, id)).as("released: it can no longer be imported").isFalse();
        assertThat(work.resolve("snapshot")).doesNotExist();
    }

    private static boolean imports(DatabasePair pair, String snapshot) throws java.sql.SQLException {
        try (java.sql.Connection c = pair.source().connect()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(java.sql.Connection.TRANSACTION_REPEATABLE_READ);
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
                return true;
            } catch (java.sql.SQLException e) {
                return false;
            } finally {
                c.rollback();
            }
        }
    }

    /** Runs {@code args} in a child JVM, expects success and one JSON object on standard output. */
    private static Map<String, Object> json(String... args) {
        CommandRun run = CommandRun.inChildJvm(Map.of(), args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines()).as("one JSON document on one line").hasSize(1);
        return Json.object(run.out());
    }
}
