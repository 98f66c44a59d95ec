package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.fixture.FixtureDatabase;
import io.pgcopydb.fixture.FixturePool;
import io.pgcopydb.fixture.Fixtures;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.PostgresServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two test JVMs starting a pool of the same content at the same moment build its template once: the second waits
 * on the template's advisory lock while the first builds, then uses what it built — never a half-built one.
 */
@ExtendWith(PostgresPairExtension.class)
class FixtureTwoJvmsIT {

    /**
     * The child: a pool of content {@code args[1]} built by a setup that takes a second and records which JVM ran
     * it; prints whether this JVM built the template and what the database it was handed holds.
     */
    public static void main(String[] args) throws Exception {
        String me = ManagementFactory.getRuntimeMXBean().getName();
        try (FixturePool pool = Fixtures.builtBy(ConnectionSpec.parse(args[0]), args[1], database -> {
            try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.jdbcProperties());
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE built_by (jvm text)");
                Thread.sleep(1500);  // long enough for the other JVM to arrive while this one builds
                s.execute("INSERT INTO built_by VALUES ('" + me + "')");
            }
        }).poolSize(1).start(); FixtureDatabase db = pool.take();
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.spec().jdbcProperties());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(jvm, ',') FROM built_by")) {
            rs.next();
            System.out.println("JVM " + me);
            System.out.println("BUILT " + pool.stats().templateBuilt());
            System.out.println("CONTENT " + rs.getString(1));
        }
    }

    @Test
    void twoJvmsStartingAtOnceBuildTheTemplateOnce(DatabasePair pair) throws Exception {
        PostgresServer server = pair.source().server();
        String uri = server.uri("postgres");
        String withPassword = server.password().map(p -> uri.replace("@", ":" + p + "@")).orElse(uri);
        String content = "two-jvms-" + UUID.randomUUID();

        Process first = child(withPassword, content);
        Process second = child(withPassword, content);
        List<String> a = output(first);
        List<String> b = output(second);

        List<String> built = new ArrayList<>();
        for (List<String> out : List.of(a, b)) {
            assertThat(out).as("a child's output").anyMatch(l -> l.startsWith("CONTENT "));
            built.add(value(out, "BUILT "));
        }
        assertThat(built).as("which JVM built the template").containsExactlyInAnyOrder("true", "false");
        String builder = value(value(a, "BUILT ").equals("true") ? a : b, "JVM ");
        assertThat(value(a, "CONTENT ")).as("the first JVM's database: the whole content, built once, by the builder")
                .isEqualTo(builder);
        assertThat(value(b, "CONTENT ")).as("the second JVM's database").isEqualTo(builder);

        String template = server.queryForString("postgres", "SELECT datname FROM pg_database WHERE datname ~ '^pgfx_t_'"
                + " AND datistemplate");
        assertThat(template).as("one finished template").isNotNull();
        server.execute("postgres", "ALTER DATABASE " + template + " WITH IS_TEMPLATE false");
        server.execute("postgres", "DROP DATABASE " + template);
    }

    private static Process child(String uri, String content) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), FixtureTwoJvmsIT.class.getName(), uri, content)
                .redirectErrorStream(true).start();
    }

    private static List<String> output(Process child) throws Exception {
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child ended: %s", out).isTrue();
        assertThat(child.exitValue()).as("the child's exit: %s", out).isZero();
        return out.lines().toList();
    }

    private static String value(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + prefix + " in " + lines));
    }
}
