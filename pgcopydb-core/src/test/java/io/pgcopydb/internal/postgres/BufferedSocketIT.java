package io.pgcopydb.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.server.LocalPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Every session reads through {@link BufferedSocketFactory}: plain and TLS connections (pgjdbc layers its TLS socket
 * over ours) both work, and a COPY through the buffer brings every byte.
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
