package io.pgcopydb.internal.catalog;

import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.ConstraintDefinition;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SequenceValue;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.model.SourceTable;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads what to copy from the source catalog. Runs on the snapshot holder's connection, so tables, indexes and
 * sequence values are those of the snapshot every worker imports.
 */
public final class CatalogReader {
    private static final String TABLES = """
            SELECT c.oid, n.nspname, c.relname, pg_catalog.pg_table_size(c.oid) AS bytes,
                   c.reltuples::bigint, c.relispartition,
                   ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                         ORDER BY a.attnum) AS columns
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND c.relpersistence IN ('p', 'u') AND
            """ + CatalogSql.USER_RELATION + " ORDER BY bytes DESC, n.nspname, c.relname";

    private static final String INDEXES = """
            SELECT i.indexrelid, n.nspname, ic.relname, i.indrelid, tn.nspname, t.relname,
                   pg_catalog.pg_get_indexdef(i.indexrelid),
                   con.oid, con.conname, con.contype, con.condeferrable, con.condeferred,
                   pg_catalog.pg_get_constraintdef(con.oid), i.indisclustered, i.indisreplident,
                   ARRAY(SELECT a.attnum || ' ' || a.attstattarget FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0 ORDER BY a.attnum) AS stats
            FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
            JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
            JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
            LEFT JOIN pg_catalog.pg_constraint con
                   ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
            WHERE i.indrelid = ANY (?) AND i.indisvalid AND i.indislive
            ORDER BY i.indrelid, ic.relname
            """;

    private static final String SEQUENCES = """
            SELECT c.oid, n.nspname, c.relname
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'S' AND
            """ + CatalogSql.USER_RELATION + " ORDER BY n.nspname, c.relname";

    /** Relations whose indexes the post-data restore builds: partitioned tables and materialized views. */
    private static final String POST_DATA_INDEXED = """
            SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('p', 'm') AND
            """ + CatalogSql.USER_RELATION;

    private static final int SEQUENCE_BATCH = 200;

    private CatalogReader() {
    }

    public static SourceCatalog read(Connection c) throws SQLException {
        // Fully qualified names in pg_get_indexdef() output, whatever the session's search_path was.
        Sessions.execute(c, "SET LOCAL search_path = pg_catalog");
        List<SourceTable> tables = tables(c);
        List<IndexDefinition> indexes = indexes(c, tables.stream().map(SourceTable::oid).toArray(Long[]::new));
        List<SequenceValue> sequences = sequences(c);
        long largeObjects = count(c, "SELECT count(*) FROM pg_catalog.pg_largeobject_metadata");
        List<IndexDefinition> postData = indexes(c, oids(c, POST_DATA_INDEXED));
        return new SourceCatalog(tables, indexes, sequences, largeObjects, List.of(), postData);
    }

    private static List<SourceTable> tables(Connection c) throws SQLException {
        List<SourceTable> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(TABLES)) {
            while (rs.next()) {
                tables.add(new SourceTable(rs.getLong(1), new QualifiedName(rs.getString(2), rs.getString(3)),
                        rs.getLong(4), rs.getLong(5), strings(rs.getArray(7)), rs.getBoolean(6)));
            }
        }
        return tables;
    }

    private static Long[] oids(Connection c, String sql) throws SQLException {
        List<Long> oids = new ArrayList<>();
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                oids.add(rs.getLong(1));
            }
        }
        return oids.toArray(Long[]::new);
    }

    /** The valid indexes of the relations {@code oids}, with the constraints they back. */
    private static List<IndexDefinition> indexes(Connection c, Long[] oids) throws SQLException {
        List<IndexDefinition> indexes = new ArrayList<>();
        try (var ps = c.prepareStatement(INDEXES)) {
            ps.setArray(1, c.createArrayOf("oid", oids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    QualifiedName table = new QualifiedName(rs.getString(5), rs.getString(6));
                    Optional<ConstraintDefinition> constraint = Optional.empty();
                    if (rs.getString(8) != null) {
                        constraint = Optional.of(new ConstraintDefinition(rs.getLong(8), table, rs.getString(9),
                                kind(rs.getString(10)), rs.getBoolean(11), rs.getBoolean(12), rs.getString(13)));
                    }
                    indexes.add(new IndexDefinition(rs.getLong(1), new QualifiedName(rs.getString(2), rs.getString(3)),
                            table, rs.getLong(4), rs.getString(7), constraint, rs.getBoolean(14), rs.getBoolean(15),
                            statistics(strings(rs.getArray(16)))));
                }
            }
        }
        return indexes;
    }

    private static List<SequenceValue> sequences(Connection c) throws SQLException {
        List<Long> oids = new ArrayList<>();
        List<QualifiedName> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SEQUENCES)) {
            while (rs.next()) {
                oids.add(rs.getLong(1));
                names.add(new QualifiedName(rs.getString(2), rs.getString(3)));
            }
        }
        return sequenceValues(c, oids, names);
    }

    /**
     * The state of each sequence, {@code oids} and {@code names} going together, as this session sees it now
     * (sequences are not transactional): one round trip per batch, as databases with thousands of sequences are
     * common.
     *
     * @param c a session on the sequences' database
     * @param oids the sequences' OIDs
     * @param names their names, in the same order
     * @return their values, in the same order
     * @throws SQLException when a sequence cannot be read
     */
    public static List<SequenceValue> sequenceValues(Connection c, List<Long> oids, List<QualifiedName> names)
            throws SQLException {
        List<SequenceValue> values = new ArrayList<>();
        for (int from = 0; from < names.size(); from += SEQUENCE_BATCH) {
            int to = Math.min(names.size(), from + SEQUENCE_BATCH);
            StringBuilder sql = new StringBuilder();
            for (int i = from; i < to; i++) {
                sql.append(i == from ? "" : " UNION ALL ").append("SELECT ").append(i)
                        .append(", last_value, is_called FROM ").append(names.get(i).quoted());
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
                while (rs.next()) {
                    int i = rs.getInt(1);
                    values.add(new SequenceValue(oids.get(i), names.get(i), rs.getLong(2), rs.getBoolean(3)));
                }
            }
        }
        return values;
    }

    /** {@code "attnum target"} pairs into a map. */
    private static Map<Integer, Integer> statistics(List<String> pairs) {
        Map<Integer, Integer> stats = new TreeMap<>();
        for (String pair : pairs) {
            String[] parts = pair.split(" ");
            stats.put(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
        return stats;
    }

    private static ConstraintDefinition.Kind kind(String contype) {
        return switch (contype) {
            case "p" -> ConstraintDefinition.Kind.PRIMARY_KEY;
            case "u" -> ConstraintDefinition.Kind.UNIQUE;
            case "x" -> ConstraintDefinition.Kind.EXCLUDE;
            default -> throw new IllegalStateException("unexpected index-backed constraint type " + contype);
        };
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
