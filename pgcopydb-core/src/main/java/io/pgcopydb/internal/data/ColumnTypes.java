package io.pgcopydb.internal.data;

import io.pgcopydb.internal.data.BinaryCompatibility.ColumnType;
import io.pgcopydb.internal.data.BinaryCompatibility.Extension;
import io.pgcopydb.internal.data.BinaryCompatibility.Server;
import io.pgcopydb.internal.data.BinaryCompatibility.Step;
import io.pgcopydb.internal.data.BinaryCompatibility.TypeNode;
import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postgresql.PGConnection;

/**
 * Reads one server's side of {@link BinaryCompatibility}: every table column's type followed through domains,
 * arrays, ranges and multiranges, in one catalog query (a recursive one), whatever the number of tables.
 */
final class ColumnTypes {
    /** Multiranges (and {@code pg_range.rngmultitypid}) are PostgreSQL 14. */
    private static final int MULTIRANGES = 14;

    private ColumnTypes() {
    }

    /** What the server of {@code connection} says of its tables' column types, its version and encoding. */
    static Server read(Connection connection) throws SQLException {
        int major = connection.getMetaData().getDatabaseMajorVersion();
        // Reported by the server at connection start: the database's encoding, no query needed.
        String encoding = connection.unwrap(PGConnection.class).getParameterStatus("server_encoding");
        Map<QualifiedName, Map<String, List<TypeNode>>> chains = new HashMap<>();
        Map<QualifiedName, Map<String, String>> displays = new HashMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql(major))) {
            while (rs.next()) {
                QualifiedName table = new QualifiedName(rs.getString(1), rs.getString(2));
                String column = rs.getString(3);
                displays.computeIfAbsent(table, t -> new HashMap<>()).putIfAbsent(column, rs.getString(4));
                String extension = rs.getString(11);
                TypeNode node = new TypeNode(rs.getLong(6), rs.getString(7), rs.getString(8),
                        rs.getString(9).charAt(0), Step.valueOf(rs.getString(5).toUpperCase(Locale.ROOT)),
                        rs.getBoolean(10), extension == null ? Optional.empty()
                                : Optional.of(new Extension(extension, rs.getString(12))));
                chains.computeIfAbsent(table, t -> new HashMap<>()).computeIfAbsent(column, c -> new ArrayList<>())
                        .add(node);
            }
        }
        Map<QualifiedName, Map<String, ColumnType>> tables = new HashMap<>();
        chains.forEach((table, columns) -> {
            Map<String, ColumnType> types = new HashMap<>();
            columns.forEach((column, chain) -> types.put(column, new ColumnType(displays.get(table).get(column),
                    chain)));
            tables.put(table, types);
        });
        return new Server(major, encoding == null ? "" : encoding, tables);
    }

    /** The query for a server of {@code major}: multiranges only where they exist. */
    static String sql(int major) {
        boolean multiranges = major >= MULTIRANGES;
        return """
                WITH RECURSIVE columns AS (
                    SELECT n.nspname, c.relname, a.attname, a.attnum, a.atttypid,
                           pg_catalog.format_type(a.atttypid, a.atttypmod) AS display
                    FROM pg_catalog.pg_attribute a
                    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
                      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                      AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp'
                ), chain(root, depth, type, via) AS (
                    SELECT DISTINCT atttypid, 0, atttypid, 'column'::pg_catalog.text FROM columns
                    UNION ALL
                    SELECT ch.root, ch.depth + 1,
                           CASE t.typtype WHEN 'd' THEN t.typbasetype WHEN 'r' THEN r.rngsubtype%s
                                ELSE t.typelem END,
                           CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range'%s
                                ELSE 'array' END
                    FROM chain ch
                    JOIN pg_catalog.pg_type t ON t.oid = ch.type
                    LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid%s
                    WHERE ch.depth < 32
                      AND (t.typtype IN ('d', 'r'%s) OR (t.typtype = 'b' AND t.typlen = -1 AND t.typelem <> 0))
                )
                SELECT col.nspname, col.relname, col.attname, col.display, ch.via, t.oid, tn.nspname, t.typname,
                       t.typtype, t.typsend::pg_catalog.oid <> 0 AND t.typreceive::pg_catalog.oid <> 0,
                       e.extname, e.extversion
                FROM columns col
                JOIN chain ch ON ch.root = col.atttypid
                JOIN pg_catalog.pg_type t ON t.oid = ch.type
                JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
                LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                     AND d.objid = t.oid AND d.deptype = 'e'
                LEFT JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
                ORDER BY col.nspname, col.relname, col.attnum, ch.depth
                """.formatted(
                multiranges ? " WHEN 'm' THEN mr.rngtypid" : "",
                multiranges ? " WHEN 'm' THEN 'multirange'" : "",
                multiranges ? "\n        LEFT JOIN pg_catalog.pg_range mr ON mr.rngmultitypid = t.oid" : "",
                multiranges ? ", 'm'" : "");
    }
}
