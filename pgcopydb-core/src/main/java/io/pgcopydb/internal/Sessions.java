package io.pgcopydb.internal;

import io.pgcopydb.ConnectionSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/** Opens source and target connections with the session settings a long copy needs. */
final class Sessions {
    // A copy runs for hours: no server-side timeout may cut it, and idle-in-transaction snapshot holders must live.
    private static final String COMMON = "SET statement_timeout = 0; SET lock_timeout = 0; "
            + "SET idle_in_transaction_session_timeout = 0; SET extra_float_digits = 3";

    private Sessions() {
    }

    static Connection connect(ConnectionSpec spec, String role) throws SQLException {
        Properties props = spec.jdbcProperties();
        props.putIfAbsent("ApplicationName", "pgcopydb " + role);
        props.setProperty("tcpKeepAlive", "true");
        // Server-side prepared statements buy nothing here and break behind transaction poolers.
        props.setProperty("prepareThreshold", "0");
        return DriverManager.getConnection(spec.jdbcUrl(), props);
    }

    /** A source connection in a REPEATABLE READ, READ ONLY transaction, importing {@code snapshot} if given. */
    static Connection openSource(ConnectionSpec spec, Optional<String> snapshot) throws SQLException {
        Connection c = connect(spec, "source");
        try {
            execute(c, COMMON);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            if (snapshot.isPresent()) {
                // Must be the transaction's first statement.
                execute(c, "SET TRANSACTION SNAPSHOT " + SqlText.literal(snapshot.get()));
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c, e);
            throw e;
        }
    }

    /** A target connection in autocommit mode with the bulk-load settings. */
    static Connection openTarget(ConnectionSpec spec, String maintenanceWorkMem) throws SQLException {
        Connection c = connect(spec, "target");
        try {
            execute(c, COMMON + "; SET synchronous_commit = off; SET maintenance_work_mem = "
                    + SqlText.literal(maintenanceWorkMem));
            return c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c, e);
            throw e;
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static void closeQuietly(AutoCloseable c, Throwable primary) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }
}
