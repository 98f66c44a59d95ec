package io.pgcopydb.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.server.LocalPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Every session reads through {@link BufferedSocketFactory}: plain and TLS connections (pgjdbc layers its TLS socket
 * over ours) both work, and a COPY through the buffer brings every byte; reads through the buffer still honour a
 * time limit: pgjdbc's {@code socketTimeout}, and the 1 ms polls with which it looks for notifications.
 */
class BufferedSocketIT {
    private static LocalPostgres server;

    @BeforeAll
    static void sslServer() throws Exception {
        server = LocalPostgres.start();
        Path data = server.baseDirectory().resolve("data");
        Process p = new ProcessBuilder(List.of("openssl", "req", "-new", "-x509", "-days", "2", "-nodes", "-subj",
                "/CN=localhost", "-keyout", data.resolve("server.key").toString(), "-out",
                data.resolve("server.crt").toString())).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl is needed to make a certificate");
        for (String f : List.of("server.key", "server.crt")) {
            Files.setOwner(data.resolve(f), Files.getOwner(data));
        }
        Files.setPosixFilePermissions(data.resolve("server.key"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        server.execute("postgres", "ALTER SYSTEM SET ssl = on");
        server.queryForString("postgres", "SELECT pg_reload_conf()");
        for (int i = 0; i < 100 && !"on".equals(server.queryForString("postgres", "SHOW ssl")); i++) {
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ConnectionSpec spec(String sslmode) {
        return ConnectionSpec.parse("postgres://" + server.user() + "@" + server.host() + ":" + server.port()
                + "/postgres?sslmode=" + sslmode);
    }

    @Test
    void aSocketTimeoutStillEndsAStatementThatRunsLonger() throws Exception {
        // Not a libpq keyword, so not in a ConnectionSpec: pgjdbc's own property, with our factory.
        Properties props = new Properties();
        props.setProperty("user", server.user());
        props.setProperty("sslmode", "disable");
        props.setProperty("socketTimeout", "1");
        props.setProperty("socketFactory", BufferedSocketFactory.class.getName());
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + server.host() + ":" + server.port()
                + "/postgres", props); Statement s = c.createStatement()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.execute("SELECT pg_sleep(20)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("I/O error");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void notificationsArriveThroughPollsWithATimeLimit() throws Exception {
        try (Connection listener = Sessions.connect(spec("disable"), "test");
                Connection notifier = Sessions.connect(spec("disable"), "test");
                Statement s = listener.createStatement()) {
            s.execute("LISTEN pgcopydb_test");
            PGConnection pg = listener.unwrap(PGConnection.class);
            assertThat(pg.getNotifications(200)).as("nothing sent yet").isEmpty();
            try (Statement n = notifier.createStatement()) {
                n.execute("NOTIFY pgcopydb_test, 'hello'");
            }
            PGNotification[] got = pg.getNotifications(5000);
            assertThat(got).extracting(PGNotification::getParameter).containsExactly("hello");
            // The connection is still in step after the polls.
            try (ResultSet rs = s.executeQuery("SELECT 42")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void tlsAndPlainSessionsBothCopyEveryByte() throws Exception {
        for (String mode : List.of("require", "disable")) {
            try (Connection c = Sessions.connect(spec(mode), "test"); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as("TLS with sslmode=" + mode).isEqualTo(mode.equals("require"));
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long rows = c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT g, repeat(md5(g::text), "
                        + "(g % 40) + 1) FROM generate_series(1, 20000) g) TO STDOUT", out);
                try (ResultSet rs = s.executeQuery("SELECT sum(octet_length(g::text || E'\\t' || repeat(md5(g::text),"
                        + " (g % 40) + 1) || E'\\n')) FROM generate_series(1, 20000) g")) {
                    rs.next();
                    assertThat(rows).isEqualTo(20000);
                    assertThat((long) out.size()).as("bytes of COPY through the buffer").isEqualTo(rs.getLong(1))
                            .isGreaterThan(BufferedSocketFactory.BUFFER_BYTES * 4L);
                }
            }
        }
    }
}
