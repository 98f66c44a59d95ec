package io.pgcopydb.internal.preflight;

import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the privilege preflight needs to know about the target, read as the connecting role, about the names the
 * source will bring: which roles exist and can be acted as, which schemas exist and may be written, which
 * extensions exist or can be created, which relations {@code dropIfExists} would drop. Read-only.
 */
record TargetPrivileges(String user, boolean superuser, boolean createRole, String database,
        boolean createOnDatabase, boolean ownsDatabase, int major, Map<String, Role> roles, Map<String, Schema> schemas,
        Set<List<String>> ownersWithoutCreate, Set<List<String>> ownersNotActingAsSchemaOwner,
        Map<String, Extension> extensions, Map<String, String> foreignRelations, Map<String, Parameter> parameters) {

    /** A role as the target knows it: {@code actAs} when the connecting role has its privileges. */
    record Role(boolean exists, boolean actAs, boolean superuser) {
        static final Role MISSING = new Role(false, false, false);
    }

    /** An existing schema: the connecting role's privileges on it, and its owner. */
    record Schema(boolean create, boolean usage, boolean owned, String owner) {
    }

    /** An extension: installed (and owned by us), or available (and what creating it needs). */
    record Extension(boolean installed, boolean owned, String owner, boolean available, boolean needsSuperuser,
            boolean trusted) {
    }

    /** A setting: who may set it, and whether the connecting role was granted SET on it. */
    record Parameter(String context, boolean granted) {
    }

    private static final String ROLE = """
            SELECT current_user, r.rolsuper, r.rolcreaterole, current_database(),
                   has_database_privilege(current_database(), 'CREATE'),
                   pg_has_role(d.datdba, 'USAGE'), current_setting('server_version_num')::int / 10000
            FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()
            """;

    private static final String ROLES = """
            SELECT n.name, r.oid IS NOT NULL, coalesce(pg_has_role(r.oid, 'USAGE'), false), coalesce(r.rolsuper, false)
            FROM unnest(?::text[]) n(name) LEFT JOIN pg_roles r ON r.rolname = n.name
            """;

    private static final String SCHEMAS = """
            SELECT s.nspname, has_schema_privilege(s.oid, 'CREATE'), has_schema_privilege(s.oid, 'USAGE'),
                   pg_has_role(s.nspowner, 'USAGE'), o.rolname
            FROM pg_namespace s JOIN pg_roles o ON o.oid = s.nspowner WHERE s.nspname = ANY (?::text[])
            """;

    private static final String OWNER_CREATE = """
            SELECT p.schema, p.owner FROM unnest(?::text[], ?::text[]) p(schema, owner)
            JOIN pg_namespace s ON s.nspname = p.schema JOIN pg_roles r ON r.rolname = p.owner
            WHERE NOT has_schema_privilege(r.oid, s.oid, 'CREATE')
            """;

    private static final String OWNER_ACTS_AS = """
            SELECT p.owner, p.schema_owner FROM unnest(?::text[], ?::text[]) p(owner, schema_owner)
            JOIN pg_roles a ON a.rolname = p.owner JOIN pg_roles b ON b.rolname = p.schema_owner
            WHERE NOT pg_has_role(a.oid, b.oid, 'USAGE')
            """;

    // pg_dump writes CREATE EXTENSION without a version: the default version decides what creating it needs.
    private static final String EXTENSIONS = """
            SELECT n.name, e.oid IS NOT NULL, coalesce(pg_has_role(e.extowner, 'USAGE'), false), o.rolname,
                   a.name IS NOT NULL, coalesce(v.superuser, true), coalesce(v.trusted, false)
            FROM unnest(?::text[]) n(name)
            LEFT JOIN pg_extension e ON e.extname = n.name LEFT JOIN pg_roles o ON o.oid = e.extowner
            LEFT JOIN pg_available_extensions a ON a.name = n.name
            LEFT JOIN pg_available_extension_versions v ON v.name = n.name AND v.version = a.default_version
            """;

    private static final String FOREIGN_RELATIONS = """
            SELECT format('%I.%I', s.nspname, c.relname), o.rolname
            FROM unnest(?::text[], ?::text[]) p(schema, name)
            JOIN pg_namespace s ON s.nspname = p.schema
            JOIN pg_class c ON c.relnamespace = s.oid AND c.relname = p.name
            JOIN pg_roles o ON o.oid = c.relowner
            WHERE NOT pg_has_role(c.relowner, 'USAGE') ORDER BY 1
            """;

    /**
     * Reads the target's side of what {@code source} will bring.
     *
     * @param roleNames every role the copy will name on the target
     */
    static TargetPrivileges read(Connection c, SourcePrivileges source, Collection<String> roleNames)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path = pg_catalog");
        }
        String user;
        boolean superuser;
        boolean createRole;
        String database;
        boolean createOnDatabase;
        boolean ownsDatabase;
        int major;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(ROLE)) {
            rs.next();
            user = rs.getString(1);
            superuser = rs.getBoolean(2);
            createRole = rs.getBoolean(3);
            database = rs.getString(4);
            createOnDatabase = rs.getBoolean(5);
            ownsDatabase = rs.getBoolean(6);
            major = rs.getInt(7);
        }
        Map<String, Role> roles = new HashMap<>();
        for (Object[] row : rows(c, ROLES, 4, new ArrayList<>(roleNames))) {
            roles.put((String) row[0], new Role((Boolean) row[1], (Boolean) row[2], (Boolean) row[3]));
        }
        List<String> schemaNames = source.owned().stream().map(SourcePrivileges.Owned::schema)
                .filter(n -> n != null).distinct().toList();
        Map<String, Schema> schemas = new HashMap<>();
        for (Object[] row : rows(c, SCHEMAS, 5, schemaNames)) {
            schemas.put((String) row[0], new Schema((Boolean) row[1], (Boolean) row[2], (Boolean) row[3],
                    (String) row[4]));
        }
        List<String> schemaOfObjects = new ArrayList<>();
        List<String> ownerOfObjects = new ArrayList<>();
        List<String> ownerInNewSchema = new ArrayList<>();
        List<String> newSchemaOwner = new ArrayList<>();
        Map<String, String> sourceSchemaOwners = new HashMap<>();
        source.owned().stream().filter(SourcePrivileges.Owned::isSchema)
                .forEach(o -> sourceSchemaOwners.put(o.schema(), o.owner()));
        for (SourcePrivileges.Owned o : source.owned()) {
            if (o.isSchema() || o.schema() == null) {
                continue;
            }
            if (schemas.containsKey(o.schema())) {
                schemaOfObjects.add(o.schema());
                ownerOfObjects.add(o.owner());
            } else if (sourceSchemaOwners.containsKey(o.schema())) {
                ownerInNewSchema.add(o.owner());
                newSchemaOwner.add(sourceSchemaOwners.get(o.schema()));
            }
        }
        Set<List<String>> ownersWithoutCreate = new HashSet<>();
        for (Object[] row : rows(c, OWNER_CREATE, 2, schemaOfObjects, ownerOfObjects)) {
            ownersWithoutCreate.add(List.of((String) row[0], (String) row[1]));
        }
        Set<List<String>> notActingAs = new HashSet<>();
        for (Object[] row : rows(c, OWNER_ACTS_AS, 2, ownerInNewSchema, newSchemaOwner)) {
            notActingAs.add(List.of((String) row[0], (String) row[1]));
        }
        Map<String, Extension> extensions = new HashMap<>();
        List<String> extensionNames = source.extensions().stream().map(SourcePrivileges.Extension::name).toList();
        for (Object[] row : rows(c, EXTENSIONS, 7, extensionNames)) {
            extensions.put((String) row[0], new Extension((Boolean) row[1], (Boolean) row[2], (String) row[3],
                    (Boolean) row[4], (Boolean) row[5], (Boolean) row[6]));
        }
        Map<String, String> foreign = new LinkedHashMap<>();
        if (!source.relations().isEmpty()) {
            List<String> relSchemas = source.relations().stream().map(QualifiedName::schema).toList();
            List<String> relNames = source.relations().stream().map(QualifiedName::name).toList();
            for (Object[] row : rows(c, FOREIGN_RELATIONS, 2, relSchemas, relNames)) {
                foreign.put((String) row[0], (String) row[1]);
            }
        }
        Map<String, Parameter> parameters = new HashMap<>();
        List<String> settingNames = source.settings().stream().map(SourcePrivileges.Setting::name).distinct()
                .toList();
        // GRANT SET ON PARAMETER arrived in PostgreSQL 15.
        String granted = major >= 15 ? "has_parameter_privilege(name, 'SET')" : "false";
        String settings = "SELECT name, context, " + granted + " FROM pg_settings WHERE name = ANY (?::text[])";
        for (Object[] row : rows(c, settings, 3, settingNames)) {
            parameters.put((String) row[0], new Parameter((String) row[1], (Boolean) row[2]));
        }
        return new TargetPrivileges(user, superuser, createRole, database, createOnDatabase, ownsDatabase, major,
                roles, schemas, ownersWithoutCreate, notActingAs, extensions, foreign, parameters);
    }

    /** The role as the target knows it; {@link Role#MISSING} when it was not asked about or does not exist. */
    Role role(String name) {
        return roles.getOrDefault(name, Role.MISSING);
    }

    @SafeVarargs
    private static List<Object[]> rows(Connection c, String sql, int columns, List<String>... arrays)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        if (arrays.length > 0 && arrays[0].isEmpty()) {
            return rows;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < arrays.length; i++) {
                ps.setArray(i + 1, c.createArrayOf("text", arrays[i].toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
