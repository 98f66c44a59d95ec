package io.pgcopydb.internal.schema;

import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.SqlText;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database's own comment ({@code COMMENT ON DATABASE}) and privileges ({@code GRANT … ON DATABASE}), which
 * pg_dump writes only with {@code --create}: read from the source in the run's snapshot, made the same on the
 * target at the end of the run. The ACL is compared item by item (grantee, privilege, grant option; the owner's
 * own items stand for whoever owns each database, so the target's owner keeps the privileges the source's owner
 * had): what only the source has is granted; what only the target has is revoked from the owner and from
 * {@code PUBLIC} (the defaults the source changed), but a named role's privilege that only the target has is kept,
 * with a warning: it is how the target's administrators let someone in, perhaps the copy's own role. A role the
 * target lacks, or a statement the target refuses (the copy's role neither owns the database nor is a superuser),
 * is skipped with a warning. The database's owner is not changed: the target database belongs to whoever
 * created it.
 */
public final class DatabaseProperties {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseProperties.class);
    /** The owner's own items, whoever owns the database. */
    private static final String OWNER = "";
    private static final String PUBLIC = "PUBLIC";

    private static final String ACL = """
            SELECT CASE WHEN x.grantee = 0 THEN 'PUBLIC' WHEN x.grantee = d.datdba THEN ''
                        ELSE pg_catalog.pg_get_userbyid(x.grantee) END,
                   x.privilege_type, x.is_grantable
              FROM pg_catalog.pg_database d,
                   pg_catalog.aclexplode(coalesce(d.datacl, pg_catalog.acldefault('d', d.datdba))) x
             WHERE d.datname = coalesce(?::name, pg_catalog.current_database())
             ORDER BY 1, 2, 3
            """;
    private static final String COMMENT = "SELECT pg_catalog.shobj_description(d.oid, 'pg_database'), "
            + "pg_catalog.pg_get_userbyid(d.datdba), d.datname FROM pg_catalog.pg_database d "
            + "WHERE d.datname = coalesce(?::name, pg_catalog.current_database())";

    /** One item of a database ACL; {@code grantee} is {@code ""} for the owner, {@code PUBLIC} for everyone. */
    public record Item(String grantee, String privilege, boolean grantable) {
    }

    /**
     * What the source database has.
     *
     * @param comment its comment, empty when it has none
     * @param acl its privileges, the defaults written out when it has none of its own
     */
    public record Source(Optional<String> comment, Set<Item> acl) {
        public Source {
            acl = Set.copyOf(acl);
        }
    }

    private DatabaseProperties() {
    }

    /** Reads the source database's comment and ACL; run it in the run's snapshot. */
    public static Source read(RunContext context) throws SQLException {
        try (Connection source = context.openSource()) {
            return read(source, null);
        }
    }

    /**
     * Makes database {@code to}'s comment and ACL those of database {@code from} on the same server, through one
     * session {@code c} on any database of it (they live in shared catalogs): what a copy made by {@code CREATE
     * DATABASE … TEMPLATE} needs, in the session that made it. Leaves {@code c} in autocommit.
     */
    public static void copyOnServer(RunContext context, Connection c, String from, String to) throws SQLException {
        try {
            apply(context, c, read(c, from), to);
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The comment and ACL of database {@code name}, or of the session's own when it is null. */
    private static Source read(Connection c, String name) throws SQLException {
        return new Source(Optional.ofNullable(describe(c, name)[0]), acl(c, name));
    }

    /**
     * Makes the target database's comment (unless {@code noComments}) and ACL (unless {@code noAcl}) those of
     * {@code source}, in one transaction.
     */
    public static void apply(RunContext context, Source source) throws SQLException {
        if (context.options().noComments() && context.options().noAcl()) {
            return;  // no session for nothing
        }
        try (Connection target = context.openTarget()) {
            apply(context, target, source, null);
        }
    }

    /** {@link #apply(RunContext, Source)} to database {@code name} (the session's own when null) through {@code target}. */
    private static void apply(RunContext context, Connection target, Source source, String name) throws SQLException {
        boolean comments = !context.options().noComments();
        boolean acls = !context.options().noAcl();
        if (!comments && !acls) {
            return;
        }
        target.setAutoCommit(false);
        String[] described = describe(target, name);
        String database = QualifiedName.quoteIdent(described[2]);
        int changed = 0;
        if (comments && !Objects.equals(source.comment().orElse(null), described[0])) {
            String sql = "COMMENT ON DATABASE " + database + " IS "
                    + source.comment().map(SqlText::literal).orElse("NULL");
            changed += run(context, target, sql, "the database's comment") ? 1 : 0;
        }
        if (acls) {
            changed += grants(context, target, source.acl(), database, described[1], name);
        }
        target.commit();
        LOG.info("Database comment and privileges: {} statement(s) to match the source", changed);
    }

    /** Revokes what only the target has, then grants what only the source has; the number of statements run. */
    private static int grants(RunContext context, Connection target, Set<Item> wanted, String database,
            String targetOwner, String name) throws SQLException {
        Set<Item> present = acl(target, name);
        List<String> statements = new ArrayList<>();
        for (Item i : present) {
            if (!wanted.contains(i) && !i.grantee().equals(OWNER) && !i.grantee().equals(PUBLIC)) {
                context.warn("kept " + i.privilege() + " ON DATABASE for " + i.grantee() + ", which only the target "
                        + "grants");
            } else if (!wanted.contains(i)) {
                statements.add("REVOKE " + (i.grantable() && wanted.contains(new Item(i.grantee(), i.privilege(),
                        false)) ? "GRANT OPTION FOR " : "") + i.privilege() + " ON DATABASE " + database + " FROM "
                        + grantee(i, targetOwner) + " CASCADE");
            }
        }
        Set<String> roles = roles(target);
        for (Item i : wanted) {
            if (present.contains(i) || present.contains(new Item(i.grantee(), i.privilege(), true))
                    && !i.grantable()) {
                continue;
            }
            if (!i.grantee().equals(OWNER) && !i.grantee().equals(PUBLIC) && !roles.contains(i.grantee())) {
                context.warn("skipped GRANT " + i.privilege() + " ON DATABASE to " + i.grantee() + ": role "
                        + i.grantee() + " does not exist on the target");
                continue;
            }
            statements.add("GRANT " + i.privilege() + " ON DATABASE " + database + " TO " + grantee(i, targetOwner)
                    + (i.grantable() ? " WITH GRANT OPTION" : ""));
        }
        int ran = 0;
        for (String sql : statements) {
            ran += run(context, target, sql, "a privilege on the database") ? 1 : 0;
        }
        return ran;
    }

    private static String grantee(Item i, String targetOwner) {
        return i.grantee().equals(OWNER) ? QualifiedName.quoteIdent(targetOwner)
                : i.grantee().equals(PUBLIC) ? PUBLIC : QualifiedName.quoteIdent(i.grantee());
    }

    /** Runs {@code sql} in a savepoint; a refusal is a warning naming {@code what}, anything else fails. */
    private static boolean run(RunContext context, Connection target, String sql, String what) throws SQLException {
        LOG.debug("{}", sql);
        SQLException refused = Sessions.executeInSavepoint(target, sql, DatabaseSettings::isRefusal, e -> {
            SQLException failure = new SQLException("could not copy " + what + " (" + sql + "): "
                    + Errors.message(e), e.getSQLState());
            failure.addSuppressed(e);
            return failure;
        });
        if (refused != null) {
            context.warn("skipped " + what + ": the target refused " + sql + ": " + Errors.message(refused)
                    + " (SQLSTATE " + refused.getSQLState() + ")");
            return false;
        }
        return true;
    }

    /** Database {@code name}'s comment, owner and name (the session's own database when null). */
    private static String[] describe(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = byName(c, COMMENT, name); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("database " + name + " does not exist", "3D000");
            }
            return new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
        }
    }

    private static Set<Item> acl(Connection c, String name) throws SQLException {
        Set<Item> items = new LinkedHashSet<>();
        try (PreparedStatement ps = byName(c, ACL, name); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                items.add(new Item(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            }
        }
        return items;
    }

    /** {@code sql} with its one parameter, a database's name, set ({@code NULL}: the session's own database). */
    static PreparedStatement byName(Connection c, String sql, String name) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            ps.setString(1, name);
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    private static Set<String> roles(Connection c) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rolname FROM pg_catalog.pg_roles")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
