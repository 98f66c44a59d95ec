package io.pgcopydb.internal.postgres;

import io.pgcopydb.connection.ConnectionSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;

/** Opens source and target connections with the session settings a long copy needs. */
public final class Sessions {
    // A copy runs for hours: no server-side timeout may cut it, and idle-in-transaction snapshot holders must live.
    // Pinned styles: a role or database default on either server must not change how COPY text reads back.
    private static final String COMMON = "SET statement_timeout = 0; SET lock_timeout = 0; "
            + "SET idle_in_transaction_session_timeout = 0; SET extra_float_digits = 3; "
            + "SET DateStyle = ISO; SET IntervalStyle = postgres";

    private Sessions() {
    }

    public static Connection connect(ConnectionSpec spec, String role) throws SQLException {
        Properties props = spec.jdbcProperties();
        props.putIfAbsent("ApplicationName", "pgcopydb " + role);
        props.setProperty("tcpKeepAlive", "true");
        // Server-side prepared statements buy nothing here and break behind transaction poolers.
        props.setProperty("prepareThreshold", "0");
        return DriverManager.getConnection(spec.jdbcUrl(), props);
    }

    /** A source connection in a REPEATABLE READ, READ ONLY transaction, importing {@code snapshot} if given. */
    public static Connection openSource(ConnectionSpec spec, Optional<String> snapshot) throws SQLException {
        Connection c = connect(spec, "source");
        try {
            // As pg_dump does: a row-level security policy must make the copy fail, never silently drop rows.
            execute(c, COMMON + "; SET row_security = off");
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            if (snapshot.isPresent()) {
                // Must be the transaction's first statement.
                try {
                    execute(c, "SET TRANSACTION SNAPSHOT " + SqlText.literal(snapshot.get()));
                } catch (SQLException e) {
                    if (!"22023".equals(e.getSQLState())) {
                        throw e;
                    }
                    throw new Errors.SnapshotLost(snapshot.get(), e);
                }
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c, e);
            throw e;
        }
    }

    /** A target connection in autocommit mode with the bulk-load settings. */
    public static Connection openTarget(ConnectionSpec spec, String maintenanceWorkMem) throws SQLException {
        Connection c = connect(spec, "target");
        try {
            // A copied database setting such as default_transaction_read_only must not stop our own writes.
            execute(c, COMMON + "; SET synchronous_commit = off; SET default_transaction_read_only = off; "
                    + "SET maintenance_work_mem = " + SqlText.literal(maintenanceWorkMem));
            return c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c, e);
            throw e;
        }
    }

    public static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Runs {@code sql} inside a savepoint of the current transaction. An error that {@code refusal} accepts is
     * rolled back to the savepoint and returned, so the transaction goes on without it; {@code null} means it
     * ran. Any other error is thrown as {@code failure} makes it.
     */
    public static SQLException executeInSavepoint(Connection c, String sql, Predicate<SQLException> refusal,
            Function<SQLException, SQLException> failure) throws SQLException {
        Savepoint savepoint = c.setSavepoint();
        try {
            execute(c, sql);
            c.releaseSavepoint(savepoint);
            return null;
        } catch (SQLException e) {
            if (!refusal.test(e)) {
                throw failure.apply(e);
            }
            c.rollback(savepoint);
            return e;
        }
    }

    public static void closeQuietly(AutoCloseable c, Throwable primary) {
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
