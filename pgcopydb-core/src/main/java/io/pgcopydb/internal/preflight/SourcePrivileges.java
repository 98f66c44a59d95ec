package io.pgcopydb.internal.preflight;

import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the privilege preflight needs to know about the source, read as the connecting role: what it cannot read,
 * who owns what, which roles the ACLs name, the extensions and the database settings. Read-only catalog queries
 * on a connection whose {@code search_path} is {@code pg_catalog}, so every name comes out schema-qualified.
 */
record SourcePrivileges(String user, boolean superuser, boolean bypassRls, boolean loCompatPrivileges,
        List<String> schemasWithoutUsage, List<String> unreadableTables, List<String> unreadableSequences,
        List<String> rowSecurityTables, long largeObjects, long unreadableLargeObjects, String unreadableExample,
        List<Owned> owned, List<AclRole> aclRoles, List<Extension> extensions, List<Setting> settings,
        List<QualifiedName> relations, List<String> superuserOnly) {

    /** A source schema with its objects' owner: {@code example} is null for the schema itself. */
    record Owned(String schema, String owner, String example, boolean nonDefaultAcl) {
        boolean isSchema() {
            return example == null;
        }
    }

    /** How an ACL names a role: as grantee, as a grantor other than the owner, or as a default-ACL owner. */
    enum AclUse { GRANTEE, GRANTOR, DEFAULTS }

    /** A role named by the source's privileges, with one object that names it. */
    record AclRole(String role, AclUse use, String example) {
    }

    /** An extension pg_dump will create, and whether it carries a comment. */
    record Extension(String name, boolean commented) {
    }

    /** One {@code ALTER DATABASE … SET} ({@code role} null) or {@code ALTER ROLE … IN DATABASE … SET}. */
    record Setting(String role, String setting) {
        String name() {
            int eq = setting.indexOf('=');
            return eq < 0 ? setting : setting.substring(0, eq);
        }
    }

    private static final String USER_NAMESPACE = """
            nspname NOT IN ('pg_catalog', 'information_schema') AND nspname !~ '^pg_toast' AND nspname !~ '^pg_temp'
            """;

    /** Not a member of an extension: pg_dump leaves those to CREATE EXTENSION. */
    private static String notInExtension(String catalog, String oid) {
        return " NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '" + catalog + "'::regclass AND d.objid = "
                + oid + " AND d.deptype = 'e') ";
    }

    private static final String ROLE = """
            SELECT current_user, r.rolsuper, r.rolbypassrls, current_setting('lo_compat_privileges')::bool
            FROM pg_roles r WHERE r.rolname = current_user
            """;

    // pg_dump locks every table (r, p) with ACCESS SHARE, which needs SELECT; COPY reads the leaves; sequence
    // values need SELECT on the sequence. Matviews are refreshed on the target, so their SELECT is not needed.
    private static final String UNREADABLE = """
            SELECT * FROM (
                SELECT c.relkind, n.nspname, format('%I.%I', n.nspname, c.relname) AS name,
                       has_schema_privilege(n.oid, 'USAGE') AS usage,
                       CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(c.oid, 'SELECT')
                            ELSE has_table_privilege(c.oid, 'SELECT') END AS readable,
                       c.relkind = 'r' AND c.relrowsecurity
                           AND (c.relforcerowsecurity OR NOT pg_has_role(c.relowner, 'USAGE')) AS rls
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'S') AND c.relpersistence IN ('p', 'u') AND n.""" + USER_NAMESPACE
            + " AND" + notInExtension("pg_class", "c.oid")
            + ") x WHERE NOT x.usage OR NOT x.readable OR x.rls ORDER BY x.name";

    // No has_largeobject_privilege() before PostgreSQL 17: the owner's privileges reach its members, and an ACL
    // entry reaches PUBLIC or the grantee's members.
    private static final String LARGE_OBJECTS = """
            SELECT count(*), count(*) FILTER (WHERE NOT readable), min(oid) FILTER (WHERE NOT readable)
            FROM (SELECT m.oid, pg_has_role(m.lomowner, 'USAGE') OR EXISTS (
                      SELECT 1 FROM aclexplode(m.lomacl) a
                      WHERE a.privilege_type = 'SELECT'
                        AND CASE WHEN a.grantee = 0 THEN true ELSE pg_has_role(a.grantee, 'USAGE') END) AS readable
                  FROM pg_largeobject_metadata m) lo
            """;

    // Each branch keeps only the user schemas' objects before naming them: regprocedure, regtype and regoperator
    // text for the ~3,000 functions, types and operators of pg_catalog cost 58 ms of an empty database's preflight
    // when the schemas were filtered after the names were made.
    private static final String OWNED = "WITH user_ns AS (SELECT oid FROM pg_namespace WHERE " + USER_NAMESPACE.strip()
            + "), objects(nsp, owner, what) AS ("
            + " SELECT c.relnamespace, c.relowner, CASE c.relkind WHEN 'S' THEN 'sequence ' WHEN 'v' THEN 'view '"
            + " WHEN 'm' THEN 'materialized view ' WHEN 'f' THEN 'foreign table ' WHEN 'c' THEN 'type '"
            + " ELSE 'table ' END || c.oid::regclass::text FROM pg_class c"
            + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c') AND c.relnamespace IN (SELECT oid FROM user_ns)"
            + " AND" + notInExtension("pg_class", "c.oid")
            + " UNION ALL SELECT p.pronamespace, p.proowner, 'function ' || p.oid::regprocedure::text FROM pg_proc p"
            + " WHERE p.pronamespace IN (SELECT oid FROM user_ns) AND" + notInExtension("pg_proc", "p.oid")
            + " UNION ALL SELECT t.typnamespace, t.typowner, 'type ' || t.oid::regtype::text FROM pg_type t"
            + " WHERE t.typtype IN ('b', 'd', 'e', 'r') AND t.typnamespace IN (SELECT oid FROM user_ns)"
            + " AND NOT EXISTS (SELECT 1 FROM pg_type a WHERE a.typarray = t.oid)"
            + " AND" + notInExtension("pg_type", "t.oid")
            // regcollation is 13: a 12 source names its collations with their schema, as regcollation would
            // when the schema is not on the search path.
            + " UNION ALL SELECT o.collnamespace, o.collowner, 'collation ' || format('%s.%I',"
            + " o.collnamespace::regnamespace, o.collname)"
            + " FROM pg_collation o WHERE o.collnamespace IN (SELECT oid FROM user_ns)"
            + " AND" + notInExtension("pg_collation", "o.oid")
            + " UNION ALL SELECT o.oprnamespace, o.oprowner, 'operator ' || o.oid::regoperator::text"
            + " FROM pg_operator o WHERE o.oprnamespace IN (SELECT oid FROM user_ns)"
            + " AND" + notInExtension("pg_operator", "o.oid")
            + " UNION ALL SELECT o.cfgnamespace, o.cfgowner, 'text search configuration ' || o.oid::regconfig::text"
            + " FROM pg_ts_config o WHERE o.cfgnamespace IN (SELECT oid FROM user_ns)"
            + " AND" + notInExtension("pg_ts_config", "o.oid")
            + " UNION ALL SELECT o.dictnamespace, o.dictowner, 'text search dictionary ' || o.oid::regdictionary::text"
            + " FROM pg_ts_dict o WHERE o.dictnamespace IN (SELECT oid FROM user_ns)"
            + " AND" + notInExtension("pg_ts_dict", "o.oid")
            + " UNION ALL SELECT o.stxnamespace, o.stxowner, 'statistics ' || quote_ident(o.stxname)"
            + " FROM pg_statistic_ext o WHERE o.stxnamespace IN (SELECT oid FROM user_ns)"
            + " UNION ALL SELECT NULL, m.lomowner, 'large object ' || m.oid FROM pg_largeobject_metadata m"
            + " UNION ALL SELECT NULL, p.pubowner, 'publication ' || quote_ident(p.pubname) FROM pg_publication p)"
            + " SELECT n.nspname, r.rolname, min(o.what), false FROM objects o JOIN pg_roles r ON r.oid = o.owner"
            + " LEFT JOIN pg_namespace n ON n.oid = o.nsp GROUP BY 1, 2"
            // The schemas themselves; the ACL flag says whether pg_dump will write GRANT/REVOKE for it.
            + " UNION ALL SELECT n.nspname, r.rolname, NULL, n.nspacl IS DISTINCT FROM coalesce(("
            + "   SELECT i.initprivs FROM pg_init_privs i WHERE i.objoid = n.oid"
            + "   AND i.classoid = 'pg_namespace'::regclass AND i.objsubid = 0), acldefault('n', n.nspowner))"
            + " FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner"
            + " WHERE n." + USER_NAMESPACE + " AND" + notInExtension("pg_namespace", "n.oid")
            + " ORDER BY 1, 3 NULLS FIRST, 2";

    private static final String ACL_SOURCES = """
            SELECT CASE WHEN c.relkind = 'S' THEN 'sequence ' ELSE 'table ' END || c.oid::regclass::text, c.relowner,
                   c.relacl, CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END
            FROM pg_class c
            WHERE c.relacl IS NOT NULL AND c.relnamespace IN (SELECT oid FROM user_ns)
              AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND %s
            UNION ALL
            SELECT 'column ' || c.oid::regclass::text || '.' || quote_ident(a.attname), c.relowner, a.attacl, 'c'
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE a.attacl IS NOT NULL AND c.relnamespace IN (SELECT oid FROM user_ns) AND %s
            UNION ALL
            SELECT 'schema ' || quote_ident(n.nspname), n.nspowner, n.nspacl, 'n' FROM pg_namespace n
            WHERE n.nspacl IS NOT NULL AND n.oid IN (SELECT oid FROM user_ns) AND %s
            UNION ALL
            SELECT 'function ' || p.oid::regprocedure::text, p.proowner, p.proacl, 'f' FROM pg_proc p
            WHERE p.proacl IS NOT NULL AND p.pronamespace IN (SELECT oid FROM user_ns) AND %s
            UNION ALL
            SELECT 'type ' || t.oid::regtype::text, t.typowner, t.typacl, 'T' FROM pg_type t
            WHERE t.typacl IS NOT NULL AND t.typnamespace IN (SELECT oid FROM user_ns) AND %s
            UNION ALL
            SELECT 'large object ' || m.oid, m.lomowner, m.lomacl, 'L' FROM pg_largeobject_metadata m
            WHERE m.lomacl IS NOT NULL
            UNION ALL
            SELECT 'foreign-data wrapper ' || quote_ident(w.fdwname), w.fdwowner, w.fdwacl, 'F'
            FROM pg_foreign_data_wrapper w WHERE w.fdwacl IS NOT NULL AND %s
            UNION ALL
            SELECT 'server ' || quote_ident(s.srvname), s.srvowner, s.srvacl, 'S' FROM pg_foreign_server s
            WHERE s.srvacl IS NOT NULL
            """.formatted(notInExtension("pg_class", "c.oid"), notInExtension("pg_class", "c.oid"),
            notInExtension("pg_namespace", "n.oid"), notInExtension("pg_proc", "p.oid"),
            notInExtension("pg_type", "t.oid"), notInExtension("pg_foreign_data_wrapper", "w.oid"));

    // pg_dump writes only what differs from the owner's default ACL: entries granted beyond it, and default
    // entries revoked. A grantor other than the owner is restored under SET SESSION AUTHORIZATION.
    private static final String ACL_ROLES = "WITH user_ns AS (SELECT oid FROM pg_namespace WHERE " + USER_NAMESPACE
            + "), acls(what, owner, acl, kind) AS (" + ACL_SOURCES + "), items AS ("
            + " SELECT a.owner, a.what, x.grantee, x.grantor FROM acls a, aclexplode(a.acl) x"
            + " WHERE (x.grantee, x.grantor, x.privilege_type, x.is_grantable) NOT IN (SELECT d.grantee, d.grantor,"
            + " d.privilege_type, d.is_grantable FROM aclexplode(acldefault(a.kind::\"char\", a.owner)) d)"
            + " UNION ALL SELECT a.owner, a.what, d.grantee, d.grantor"
            + " FROM acls a, aclexplode(acldefault(a.kind::\"char\", a.owner)) d"
            + " WHERE (d.grantee, d.grantor, d.privilege_type, d.is_grantable) NOT IN (SELECT x.grantee, x.grantor,"
            + " x.privilege_type, x.is_grantable FROM aclexplode(a.acl) x))"
            + " SELECT r.rolname, 'GRANTEE', min(i.what) FROM items i JOIN pg_roles r ON r.oid = i.grantee GROUP BY 1"
            + " UNION ALL SELECT r.rolname, 'GRANTOR', min(i.what) FROM items i JOIN pg_roles r ON r.oid = i.grantor"
            + " WHERE i.grantor <> i.owner GROUP BY 1"
            + " UNION ALL SELECT r.rolname, 'DEFAULTS', 'default privileges of role ' || quote_ident(r.rolname)"
            + " FROM pg_default_acl d JOIN pg_roles r ON r.oid = d.defaclrole GROUP BY 1"
            + " UNION ALL SELECT g.rolname, 'GRANTEE', min('default privileges of role ' || quote_ident(r.rolname))"
            + " FROM pg_default_acl d JOIN pg_roles r ON r.oid = d.defaclrole"
            + " CROSS JOIN LATERAL aclexplode(d.defaclacl) x"
            + " JOIN pg_roles g ON g.oid = x.grantee WHERE x.grantee <> d.defaclrole GROUP BY 1"
            + " ORDER BY 2, 1";

    // pg_dump skips extensions created by initdb (plpgsql): their OIDs are below FirstNormalObjectId.
    private static final String EXTENSIONS = """
            SELECT e.extname, obj_description(e.oid, 'pg_extension') IS NOT NULL
            FROM pg_extension e WHERE e.oid >= 16384 ORDER BY 1
            """;

    private static final String SETTINGS = """
            SELECT r.rolname, c.setting
            FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole, unnest(s.setconfig) c(setting)
            WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY 1 NULLS FIRST, 2
            """;

    /**
     * The objects pg_dump writes that only a superuser can create (on PostgreSQL 15): event triggers, foreign-data
     * wrappers, publications of all tables or of whole schemas, and subscriptions — not an extension's.
     */
    private static final String SUPERUSER_ONLY = "SELECT 'event trigger ' || quote_ident(t.evtname) FROM "
            + "pg_event_trigger t WHERE" + notInExtension("pg_event_trigger", "t.oid")
            + " UNION ALL SELECT 'foreign-data wrapper ' || quote_ident(w.fdwname) FROM pg_foreign_data_wrapper w "
            + "WHERE" + notInExtension("pg_foreign_data_wrapper", "w.oid")
            + " UNION ALL SELECT 'publication ' || quote_ident(p.pubname) || ' (all tables)' FROM pg_publication p "
            + "WHERE p.puballtables"
            + " UNION ALL SELECT DISTINCT 'publication ' || quote_ident(p.pubname) || ' (tables in schema)' FROM "
            + "pg_publication p JOIN pg_publication_namespace pn ON pn.pnpubid = p.oid"
            + " UNION ALL SELECT 'subscription ' || quote_ident(s.subname) FROM pg_subscription s "
            + "WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " ORDER BY 1";
    /** Before PostgreSQL 15 there are no publications of whole schemas. */
    private static final String SUPERUSER_ONLY_14 = SUPERUSER_ONLY.replace(" UNION ALL SELECT DISTINCT 'publication ' "
            + "|| quote_ident(p.pubname) || ' (tables in schema)' FROM pg_publication p JOIN pg_publication_namespace "
            + "pn ON pn.pnpubid = p.oid", "");

    private static final String RELATIONS = """
            SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relpersistence IN ('p', 'u')
              AND n.""" + USER_NAMESPACE
            + " AND" + notInExtension("pg_class", "c.oid");

    /** Reads the source's facts; {@code withRelations} also lists every relation (for dropIfExists). */
    static SourcePrivileges read(Connection c, boolean withRelations) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path = pg_catalog");
            String user;
            boolean superuser;
            boolean bypassRls;
            boolean loCompat;
            try (ResultSet rs = s.executeQuery(ROLE)) {
                rs.next();
                user = rs.getString(1);
                superuser = rs.getBoolean(2);
                bypassRls = rs.getBoolean(3);
                loCompat = rs.getBoolean(4);
            }
            List<String> noUsage = new ArrayList<>();
            List<String> tables = new ArrayList<>();
            List<String> sequences = new ArrayList<>();
            List<String> rowSecurity = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(UNREADABLE)) {
                while (rs.next()) {
                    String name = rs.getString(3);
                    if (!rs.getBoolean(4) && !noUsage.contains(rs.getString(2))) {
                        noUsage.add(rs.getString(2));
                    }
                    if (!rs.getBoolean(5)) {
                        ("S".equals(rs.getString(1)) ? sequences : tables).add(name);
                    } else if (rs.getBoolean(6) && !superuser && !bypassRls) {
                        rowSecurity.add(name);
                    }
                }
            }
            long los;
            long unreadableLos;
            String loExample;
            try (ResultSet rs = s.executeQuery(LARGE_OBJECTS)) {
                rs.next();
                los = rs.getLong(1);
                unreadableLos = superuser || loCompat ? 0 : rs.getLong(2);
                loExample = rs.getString(3);
            }
            List<Owned> owned = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(OWNED)) {
                while (rs.next()) {
                    owned.add(new Owned(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
            List<AclRole> aclRoles = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(ACL_ROLES)) {
                while (rs.next()) {
                    aclRoles.add(new AclRole(rs.getString(1), AclUse.valueOf(rs.getString(2)), rs.getString(3)));
                }
            }
            List<Extension> extensions = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(EXTENSIONS)) {
                while (rs.next()) {
                    extensions.add(new Extension(rs.getString(1), rs.getBoolean(2)));
                }
            }
            List<Setting> settings = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(SETTINGS)) {
                while (rs.next()) {
                    settings.add(new Setting(rs.getString(1), rs.getString(2)));
                }
            }
            List<QualifiedName> relations = new ArrayList<>();
            if (withRelations) {
                try (ResultSet rs = s.executeQuery(RELATIONS)) {
                    while (rs.next()) {
                        relations.add(new QualifiedName(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            List<String> superuserOnly = new ArrayList<>();
            boolean schemaPublications = c.getMetaData().getDatabaseMajorVersion() >= 15;
            try (ResultSet rs = s.executeQuery(schemaPublications ? SUPERUSER_ONLY : SUPERUSER_ONLY_14)) {
                while (rs.next()) {
                    superuserOnly.add(rs.getString(1));
                }
            }
            return new SourcePrivileges(user, superuser, bypassRls, loCompat, noUsage, tables, sequences,
                    rowSecurity, los, unreadableLos, loExample, owned, aclRoles, extensions, settings, relations,
                    superuserOnly);
        }
    }
}
