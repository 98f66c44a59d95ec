package io.pgcopydb.internal.template;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Sessions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the strategy needs to know of the source, read in one short session, in one round trip where the role may
 * read {@code pg_control_system()}, that is closed before any {@code CREATE DATABASE} (it would count as a session
 * on the template).
 *
 * @param shape the source database's encoding, locale and owner
 * @param server which server it is on
 * @param otherSessions sessions on the source database other than ours
 * @param mayBeTemplate whether the connecting role may use it as a template: a superuser, or allowed to create
 *     databases and owning it (or it is marked as a template)
 * @param plain whether it has none of the properties a template copy leaves behind (comment, ACL of its own,
 *     database or role-in-database settings): then the copy needs nothing after the {@code CREATE DATABASE}
 */
record SourceFacts(DatabaseShape shape, ServerIdentity server, int otherSessions, boolean mayBeTemplate,
        boolean plain) {

    private static final String SQL = "SELECT " + DatabaseShape.COLUMNS + ","
            + " (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = d.datname AND a.pid <> pg_backend_pid()),"
            + " (SELECT r.rolsuper OR (r.rolcreatedb AND (d.datistemplate OR pg_has_role(d.datdba, 'USAGE')))"
            + "    FROM pg_roles r WHERE r.rolname = current_user),"
            + " d.datacl IS NULL AND shobj_description(d.oid, 'pg_database') IS NULL"
            + " AND NOT EXISTS (SELECT 1 FROM pg_db_role_setting s WHERE s.setdatabase = d.oid),"
            + " %s"
            + DatabaseShape.FROM + " WHERE d.datname = current_database()";

    static SourceFacts read(ConnectionSpec source) throws SQLException {
        try (Connection c = Sessions.connect(source, "source")) {
            try {
                return read(c, source, true);
            } catch (SQLException e) {
                if (!"42501".equals(e.getSQLState())) {
                    throw e;
                }
                // pg_control_system() refused: the identity comes from ServerIdentity's fallback.
                return read(c, source, false);
            }
        }
    }

    private static SourceFacts read(Connection c, ConnectionSpec source, boolean controlData) throws SQLException {
        String sql = String.format(SQL, controlData ? "(SELECT system_identifier::text FROM pg_control_system())"
                : "NULL::text");
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            DatabaseShape shape = DatabaseShape.of(rs);
            String identifier = rs.getString(11);
            ServerIdentity server = identifier != null
                    ? new ServerIdentity(identifier, ServerIdentity.SYSTEM_IDENTIFIER, source.hosts())
                    : ServerIdentity.byStartTime(c, source);
            return new SourceFacts(shape, server, rs.getInt(8), rs.getBoolean(9), rs.getBoolean(10));
        }
    }
}
