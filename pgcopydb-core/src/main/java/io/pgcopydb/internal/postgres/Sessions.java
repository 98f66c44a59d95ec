package io.pgcopydb.internal.postgres;

import io.pgcopydb.connection.ConnectionSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Opens source and target connections with the session settings a long copy needs, pinned so that no database or
 * role setting of either server changes what is read or written (as pg_dump and pg_restore pin theirs):
 * <ul>
 *   <li>no server-side time limit ({@code statement_timeout}, {@code lock_timeout},
 *       {@code idle_in_transaction_session_timeout}, and {@code transaction_timeout} from PostgreSQL 17): a copy
 *       runs for hours and its snapshot holder idles in its transaction;</li>
 *   <li>how values print and parse: {@code search_path = pg_catalog} (so {@code regclass}, {@code regproc},
 *       {@code regtype}… values print schema-qualified and read back as the same object), {@code DateStyle},
 *       {@code IntervalStyle}, {@code TimeZone}, {@code extra_float_digits}, {@code bytea_output},
 *       {@code xmloption}, {@code lc_monetary} (money), {@code standard_conforming_strings};</li>
 *   <li>what a session may do: {@code row_security = off} (a policy makes the copy fail, never drops rows
 *       silently), {@code default_transaction_read_only = off} and {@code default_transaction_isolation = 'read
 *       committed'} on the target (the source's transactions set their own), {@code default_tablespace = ''}
 *       (an index is built where its definition says, as pg_restore does).</li>
 * </ul>
 * Target sessions also get the source database's custom ({@code prefix.name}) settings, which its
 * {@code ALTER DATABASE … SET} gives only at the end of the run, so a CHECK constraint, default, index expression
 * or trigger that reads one sees the value while the copy loads and builds.
 */
public final class Sessions {
    private static final String COMMON = "SET statement_timeout = 0; SET lock_timeout = 0; "
            + "SET idle_in_transaction_session_timeout = 0; SET extra_float_digits = 3; "
            + "SET DateStyle = ISO; SET IntervalStyle = postgres; SET TimeZone = 'UTC'; SET bytea_output = hex; "
            + "SET xmloption = content; SET lc_monetary = 'C'; SET standard_conforming_strings = on; "
            + "SET search_path = pg_catalog; SET row_security = off";
    /** A server from PostgreSQL 17 on also limits a whole transaction. */
    private static final String FROM_17 = "; SET transaction_timeout = 0";
    /** What {@code DISCARD ALL} does, as statements that can share a query string with others. */
    private static final String DISCARD_ALL = "CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; "
            + "DEALLOCATE ALL; UNLISTEN *; SELECT pg_catalog.pg_advisory_unlock_all(); DISCARD PLANS; DISCARD TEMP; "
            + "DISCARD SEQUENCES";

    private Sessions() {
    }

    public static Connection connect(ConnectionSpec spec, String role) throws SQLException {
        Properties props = spec.jdbcProperties();
        props.putIfAbsent("ApplicationName", "pgcopydb " + role);
        props.setProperty("tcpKeepAlive", "true");
        // Server-side prepared statements buy nothing here and break behind transaction poolers.
        props.setProperty("prepareThreshold", "0");
        props.putIfAbsent("socketFactory", BufferedSocketFactory.class.getName());
        return DriverManager.getConnection(spec.jdbcUrl(), props);
    }

    /** A source connection in a REPEATABLE READ, READ ONLY transaction, importing {@code snapshot} if given. */
    public static Connection openSource(ConnectionSpec spec, Optional<String> snapshot) throws SQLException {
        Connection c = connect(spec, "source");
        try {
            execute(c, pinned(c));
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

    /**
     * Gives {@code c}, a source session that served before and was rolled back, the state {@link #openSource} gives
     * a new one: its next transaction imports {@code snapshot} when given (else it takes its own, here).
     */
    public static void resetSource(Connection c, Optional<String> snapshot) throws SQLException {
        execute(c, snapshot.isPresent() ? "SET TRANSACTION SNAPSHOT " + SqlText.literal(snapshot.get()) : "SELECT 1");
    }

    /** A target connection in autocommit mode with the bulk-load settings and no custom settings. */
    public static Connection openTarget(ConnectionSpec spec, String maintenanceWorkMem) throws SQLException {
        return openTarget(spec, maintenanceWorkMem, Map.of());
    }

    /**
     * A target connection in autocommit mode with the bulk-load settings, and {@code custom} ({@code prefix.name}
     * to value) set for the session.
     */
    public static Connection openTarget(ConnectionSpec spec, String maintenanceWorkMem, Map<String, String> custom)
            throws SQLException {
        Connection c = connect(spec, "target");
        try {
            execute(c, targetSettings(c, maintenanceWorkMem, custom));
            return c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c, e);
            throw e;
        }
    }

    /**
     * Gives {@code c}, a target session that served before, the state {@link #openTarget} gives a new one: what
     * {@code DISCARD ALL} resets (settings, role, cursors, prepared statements, listens, advisory locks, temporary
     * tables, cached plans and sequence values), in one round trip — {@code DISCARD ALL} itself cannot share a
     * query string — then the target's settings.
     */
    public static void resetTarget(Connection c, String maintenanceWorkMem, Map<String, String> custom)
            throws SQLException {
        execute(c, DISCARD_ALL + "; " + targetSettings(c, maintenanceWorkMem, custom));
    }

    private static String targetSettings(Connection c, String maintenanceWorkMem, Map<String, String> custom)
            throws SQLException {
        // A copied database setting such as default_transaction_read_only must not stop our own writes.
        StringBuilder sql = new StringBuilder(pinned(c)).append("; SET synchronous_commit = off; ")
                .append("SET default_transaction_read_only = off; ")
                .append("SET default_transaction_isolation = 'read committed'; SET default_tablespace = ''; ")
                .append("SET maintenance_work_mem = ").append(SqlText.literal(maintenanceWorkMem));
        custom.forEach((name, value) -> sql.append("; SELECT pg_catalog.set_config(")
                .append(SqlText.literal(name)).append(", ").append(SqlText.literal(value)).append(", false)"));
        return sql.toString();
    }

    /** The settings every session pins, for the server {@code c} is connected to. */
    private static String pinned(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseMajorVersion() >= 17 ? COMMON + FROM_17 : COMMON;
    }

    /**
     * {@code custom} as {@code PGOPTIONS} items for a client tool ({@code -c name=value}, spaces and backslashes
     * escaped as the server splits the option string), or an empty string.
     */
    public static String toolOptions(Map<String, String> custom) {
        StringBuilder out = new StringBuilder();
        custom.forEach((name, value) -> out.append(out.length() == 0 ? "" : " ").append("-c ")
                .append(escapeOption(name + "=" + value)));
        return out.toString();
    }

    private static String escapeOption(String item) {
        StringBuilder out = new StringBuilder();
        for (char ch : item.toCharArray()) {
            if (ch == '\\' || Character.isWhitespace(ch)) {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.toString();
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
