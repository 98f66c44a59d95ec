package io.pgcopydb.internal.template;

import io.pgcopydb.connection.ConnectionSpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Which server (cluster) a connection reached: its system identifier from {@code pg_control_system()} (executable by
 * everyone from PostgreSQL 10 on unless an administrator revoked it) and the host and port it was reached at — a
 * physical standby shares the identifier, another port does not. Where the function is refused (SQLSTATE 42501),
 * the postmaster's start time stands in for it, and {@link #how()} says so.
 *
 * @param identifier the system identifier, or {@code started <time>} without the privilege
 * @param how {@code system identifier} or {@code postmaster start time (pg_control_system() refused)}
 * @param hosts the hosts and ports of the connection string
 */
record ServerIdentity(String identifier, String how, List<ConnectionSpec.HostPort> hosts) {
    /** How an identity read from {@code pg_control_system()} was had. */
    static final String SYSTEM_IDENTIFIER = "system identifier";

    static ServerIdentity read(Connection c, ConnectionSpec spec) throws SQLException {
        try (Statement st = c.createStatement()) {
            boolean autoCommit = c.getAutoCommit();
            try (ResultSet rs = st.executeQuery("SELECT system_identifier::text FROM pg_control_system()")) {
                rs.next();
                return new ServerIdentity(rs.getString(1), SYSTEM_IDENTIFIER, spec.hosts());
            } catch (SQLException e) {
                if (!"42501".equals(e.getSQLState())) {
                    throw e;
                }
                if (!autoCommit) {
                    c.rollback();
                }
            }
        }
        return byStartTime(c, spec);
    }

    /** The identity where {@code pg_control_system()} is refused: the postmaster's start time. */
    static ServerIdentity byStartTime(Connection c, ConnectionSpec spec) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_postmaster_start_time()::text")) {
            rs.next();
            return new ServerIdentity("started " + rs.getString(1),
                    "postmaster start time (pg_control_system() refused)", spec.hosts());
        }
    }

    /** Whether both are the same server: the same identifier reached at the same hosts and ports. */
    boolean sameServerAs(ServerIdentity other) {
        return identifier.equals(other.identifier) && hosts.equals(other.hosts);
    }

    /** Why not, one line; call only when {@link #sameServerAs} is false. */
    String differenceFrom(ServerIdentity other) {
        if (!identifier.equals(other.identifier)) {
            return "different servers (" + how + " " + identifier + " vs " + other.identifier + ")";
        }
        return "source and target reached at different hosts or ports (" + hosts + " vs " + other.hosts
                + "): a standby or another name of the server, not taken for the same one";
    }
}
