package io.pgcopydb.internal.template;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.SqlText;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target database as a whole, through a session on its server's maintenance database ({@code postgres}, else
 * {@code template1}): whether it exists, holds relations, and its creation and dropping.
 */
final class TargetDatabase {
    private static final Logger LOG = LoggerFactory.getLogger(TargetDatabase.class);

    private TargetDatabase() {
    }

    /** A session on the maintenance database of {@code spec}'s server (autocommit: CREATE DATABASE needs it). */
    static Connection maintenance(ConnectionSpec spec) throws SQLException {
        try {
            return Sessions.connect(spec.withDatabase("postgres"), "maintenance");
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) {
                throw e;
            }
            return Sessions.connect(spec.withDatabase("template1"), "maintenance");
        }
    }

    static int serverVersion(Connection c) throws SQLException {
        return Integer.parseInt(value(c, "SHOW server_version_num"));
    }

    /** Whether database {@code spec} holds a relation of its own (outside the system schemas). */
    static boolean holdsRelations(ConnectionSpec spec) throws SQLException {
        try (Connection c = Sessions.connect(spec, "target")) {
            return !"0".equals(value(c, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
                    + " AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'"));
        }
    }

    /**
     * Creates database {@code name} shaped like {@code shape}, as faithfully as the server allows (an owner that is
     * not a role there, or a locale it lacks, is left out, and {@code warn} hears so). Returns the report's line.
     */
    static String create(Connection m, String name, DatabaseShape shape, Consumer<String> warn) throws SQLException {
        List<String> tries = shape.clauses(serverVersion(m));
        SQLException last = null;
        for (int i = 0; i < tries.size(); i++) {
            try {
                execute(m, "CREATE DATABASE " + ident(name) + tries.get(i));
                String how = switch (i) {
                    case 0 -> shape.describe();
                    case 1 -> shape.describe().replace(", owner " + shape.owner(), "") + ", owned by the connecting "
                            + "role (owner " + shape.owner() + " refused: " + last.getMessage() + ")";
                    default -> "encoding " + shape.encoding() + ", the server's default locale (" + last.getMessage()
                            + ")";
                };
                if (i > 0) {
                    warn.accept("target database " + name + " created with less than the source's shape: " + how);
                }
                LOG.info("Created the target database {}: {}", name, how);
                return "target database " + name + " created: " + how;
            } catch (SQLException e) {
                // 42501 privilege, 42704 no such role, 22023/42809 locale or provider unknown there: try with less.
                if (i == tries.size() - 1 || "42P04".equals(e.getSQLState())) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /**
     * What the strategy asks the target's server, in one round trip.
     *
     * @param exists whether the target database exists
     * @param version the server's {@code server_version_num}
     * @param user the connecting role
     */
    record Facts(boolean exists, int version, String user) {
    }

    static Facts facts(Connection m, String name) throws SQLException {
        try (Statement st = m.createStatement(); ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM"
                + " pg_database WHERE datname = " + literal(name) + "), current_setting('server_version_num')::int,"
                + " current_user")) {
            rs.next();
            return new Facts(rs.getBoolean(1), rs.getInt(2), rs.getString(3));
        }
    }

    static void drop(Connection m, String name) throws SQLException {
        execute(m, "DROP DATABASE IF EXISTS " + ident(name));
    }

    static String value(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        LOG.debug("{}", sql);
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return SqlText.literal(value);
    }
}
