package io.pgcopydb.internal.template;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Sessions;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the strategy needs to know of the source, read in one short session that is closed before any
 * {@code CREATE DATABASE} (it would count as a session on the template).
 *
 * @param shape the source database's encoding, locale and owner
 * @param server which server it is on
 * @param otherSessions sessions on the source database other than ours
 * @param mayBeTemplate whether the connecting role may use it as a template: a superuser, or allowed to create
 *     databases and owning it (or it is marked as a template)
 */
record SourceFacts(DatabaseShape shape, ServerIdentity server, int otherSessions, boolean mayBeTemplate) {

    static SourceFacts read(ConnectionSpec source) throws SQLException {
        try (Connection c = Sessions.connect(source, "source")) {
            DatabaseShape shape = DatabaseShape.read(c, TargetDatabase.value(c, "SELECT current_database()"))
                    .orElseThrow();
            ServerIdentity server = ServerIdentity.read(c, source);
            int others = Integer.parseInt(TargetDatabase.value(c, "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()"));
            boolean may = "t".equals(TargetDatabase.value(c, "SELECT r.rolsuper OR (r.rolcreatedb"
                    + " AND (d.datistemplate OR pg_has_role(d.datdba, 'USAGE')))"
                    + " FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()"));
            return new SourceFacts(shape, server, others, may);
        }
    }
}
