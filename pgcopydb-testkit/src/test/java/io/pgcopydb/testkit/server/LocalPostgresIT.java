package io.pgcopydb.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalPostgresIT {

    @Test
    void twoServersStartOnDifferentPortsAndAcceptConnections() {
        try (LocalPostgres a = LocalPostgres.start(); LocalPostgres b = LocalPostgres.start()) {
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(a.baseDirectory()).isNotEqualTo(b.baseDirectory());
            assertThat(a.queryForString("postgres", "SELECT 40 + 2")).isEqualTo("42");
            assertThat(b.queryForString("postgres", "SHOW port")).isEqualTo(Integer.toString(b.port()));
            assertThat(a.serverVersionNum()).isGreaterThanOrEqualTo(120000);
            assertThat(a.queryForString("postgres", "SHOW fsync")).isEqualTo("off");
        }
    }

    @Test
    void aCrashedServerStartsAgainOnItsPortWithItsCommittedData() throws Exception {
        try (LocalPostgres server = LocalPostgres.start()) {
            server.execute("postgres", "CREATE TABLE kept (id int); INSERT INTO kept SELECT generate_series(1, 5)");
            try (Connection open = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "")) {
                server.crash();

                assertThat(server.postmasterPid()).as("no postmaster after the crash").isEmpty();
                assertThat(catchSqlState(() -> open.createStatement().execute("SELECT 1")))
                        .as("an open session is cut").startsWith("08");
                assertThat(connectAs(server, "postgres", null)).as("refused while down").isNotNull();
            }

            server.startAgain();

            assertThat(server.queryForString("postgres", "SHOW port")).isEqualTo(Integer.toString(server.port()));
            assertThat(server.queryForString("postgres", "SELECT count(*) FROM kept")).isEqualTo("5");
        }
    }

    @Test
    void databasesAreCreatedUsedAndDropped() {
        try (LocalPostgres server = LocalPostgres.start()) {
            server.createDatabase("Mixed Case db");
            server.execute("Mixed Case db", "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 10)");
            assertThat(server.queryForString("Mixed Case db", "SELECT count(*) FROM t")).isEqualTo("10");

            server.dropDatabase("Mixed Case db");
            assertThat(server.queryForString("postgres",
                    "SELECT count(*) FROM pg_database WHERE datname = 'Mixed Case db'")).isEqualTo("0");
        }
    }

    @Test
    void aPasswordRoleMustGiveItsPasswordWhileOthersStayTrusted() throws Exception {
        try (LocalPostgres server = LocalPostgres.start()) {
            server.createPasswordRole("app_pw", "Right-pw-1");

            assertThat(connectAs(server, "app_pw", "Right-pw-1")).as("right password").isNull();
            assertThat(connectAs(server, "app_pw", "wrong")).as("wrong password").isEqualTo("28P01");
            assertThat(connectAs(server, "app_pw", null)).as("no password").isNotNull();
            assertThat(server.queryForString("postgres", "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid "
                    + "WHERE rolname = 'app_pw'")).isEqualTo("t");
            assertThat(connectAs(server, "postgres", null)).as("the admin role still needs no password").isNull();
        }
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    /** The SQLSTATE {@code action} failed with, or null when it succeeded. */
    private static String catchSqlState(SqlAction action) {
        try {
            action.run();
            return null;
        } catch (SQLException e) {
            return String.valueOf(e.getSQLState());
        }
    }

    /** The SQLSTATE of a failed connection attempt, or null when it succeeded. */
    private static String connectAs(LocalPostgres server, String user, String password) {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), props)) {
            return null;
        } catch (SQLException e) {
            return String.valueOf(e.getSQLState());
        }
    }

    @Test
    void closeStopsTheServerAndRemovesItsDirectory() {
        LocalPostgres server = LocalPostgres.start();
        long pid = server.postmasterPid().orElseThrow();
        Path dir = server.baseDirectory();
        assertThat(ProcessHandle.of(pid)).as("postmaster running").isPresent();

        server.close();
        server.close(); // idempotent

        assertThat(LocalPostgres.isRunning(pid)).as("postmaster %d still running", pid).isFalse();
        assertThat(dir).doesNotExist();
    }

    @Test
    void aJvmThatExitsWithoutClosingLeavesNothingBehind() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                StartServerAndExit.class.getName())).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();

        String line = output.lines().filter(l -> l.startsWith("STARTED ")).findFirst().orElseThrow(
                () -> new AssertionError("child did not report its server: " + output));
        String[] parts = line.split(" ", 3);
        long pid = Long.parseLong(parts[1]);
        Path dir = Path.of(parts[2]);
        assertThat(LocalPostgres.isRunning(pid)).as("postmaster %d left running", pid).isFalse();
        assertThat(Files.exists(dir)).as("server directory left behind: %s", dir).isFalse();
    }

    /** Child JVM: starts a server and exits without closing it, so only the shutdown hook can clean up. */
    public static final class StartServerAndExit {
        public static void main(String[] args) {
            LocalPostgres server = LocalPostgres.start();
            System.out.println("STARTED " + server.postmasterPid().orElseThrow() + " " + server.baseDirectory());
            System.exit(0);
        }
    }
}
