package io.pgcopydb.internal.compare;

import io.pgcopydb.internal.postgres.Sessions;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one database's {@link SchemaSnapshot} from its catalogs: a query per object class
 * ({@link SchemaRelationQueries}, {@link SchemaObjectQueries}, {@link CatalogGenericQuery}), all in the caller's
 * transaction (one snapshot), with {@code search_path} set to {@code pg_catalog} for the transaction so that
 * every definition names user objects with their schema. Objects outside the {@link CompareScope} are left out.
 */
final class CatalogSnapshotReader {
    private CatalogSnapshotReader() {
    }

    /**
     * Reads the snapshot on {@code c}, a session inside a read-only transaction (ended by the caller).
     *
     * @param scope what is compared; the same scope is applied to both databases
     */
    static SchemaSnapshot read(Connection c, CompareScope scope) throws SQLException {
        Sessions.execute(c, "SET LOCAL search_path = pg_catalog");
        int version;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            version = rs.getInt(1);
        }
        List<String> queries = new ArrayList<>(SchemaRelationQueries.all(version));
        queries.addAll(SchemaObjectQueries.all(version));
        queries.add(CatalogGenericQuery.query());
        SchemaSnapshot snapshot = new SchemaSnapshot(version);
        try (Statement s = c.createStatement()) {
            for (String sql : queries) {
                read(s, sql, scope, snapshot);
            }
        }
        return snapshot;
    }

    private static void read(Statement s, String sql, CompareScope scope, SchemaSnapshot into) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> aspects = new LinkedHashMap<>();
                for (int i = 4; i <= meta.getColumnCount(); i++) {
                    boolean bool = meta.getColumnType(i) == Types.BOOLEAN || meta.getColumnType(i) == Types.BIT;
                    String value = rs.getString(i);
                    if (value != null && bool) {
                        value = Boolean.toString(rs.getBoolean(i));
                    }
                    aspects.put(meta.getColumnLabel(i), value == null ? "" : value);
                }
                Array scopeArray = rs.getArray(3);
                String[] conditions = scopeArray == null ? new String[0] : (String[]) scopeArray.getArray();
                if (inScope(scope, conditions, aspects)) {
                    into.add(rs.getString(1), parents(rs.getObject(2)), aspects);
                }
            }
        } catch (SQLException e) {
            SQLException detailed = new SQLException("reading the schema failed: " + e.getMessage() + " in: "
                    + sql.strip().lines().findFirst().orElse(""), e.getSQLState(), e);
            throw detailed;
        }
    }

    private static List<String> parents(Object column) throws SQLException {
        if (column instanceof Array array) {
            return List.of((String[]) array.getArray());
        }
        return column == null ? List.of() : List.of(column.toString());
    }

    /**
     * Whether the object is in scope by its conditions ({@link SchemaSql} lists them); removes the aspects
     * whose condition does not hold.
     */
    static boolean inScope(CompareScope scope, String[] conditions, Map<String, String> aspects) {
        int i = 0;
        while (i < conditions.length) {
            switch (conditions[i]) {
                case "relation" -> {
                    if (!scope.relationIncluded(conditions[i + 1], conditions[i + 2])) {
                        return false;
                    }
                    i += 3;
                }
                case "schema" -> {
                    if (!scope.schemaIncluded(conditions[i + 1])) {
                        return false;
                    }
                    i += 2;
                }
                case "created" -> {
                    if (!scope.schemaCreated(conditions[i + 1])) {
                        return false;
                    }
                    i += 2;
                }
                case "extension" -> {
                    if (!scope.extensionIncluded(conditions[i + 1])) {
                        return false;
                    }
                    i += 2;
                }
                case "needs" -> {
                    if (!scope.relationIncluded(conditions[i + 2], conditions[i + 3])) {
                        aspects.remove(conditions[i + 1]);
                    }
                    i += 4;
                }
                case "rows" -> {
                    if (!scope.dataIncluded(conditions[i + 2], conditions[i + 3])) {
                        aspects.remove(conditions[i + 1]);
                    }
                    i += 4;
                }
                default -> throw new IllegalStateException("unknown scope condition " + conditions[i]);
            }
        }
        return true;
    }
}
