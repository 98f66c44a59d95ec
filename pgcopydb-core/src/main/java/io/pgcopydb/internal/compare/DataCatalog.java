package io.pgcopydb.internal.compare;

import io.pgcopydb.internal.catalog.CatalogReader;
import io.pgcopydb.internal.catalog.CatalogSql;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SequenceValue;
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
 * What one side holds whose data is compared, read in the side's snapshot: the relations with rows (ordinary and
 * unlogged tables, leaf partitions, materialized views; not partitioned parents, views or foreign tables), and the
 * sequences. System schemas and extension members are left out ({@link CatalogSql#USER_RELATION}).
 */
final class DataCatalog {
    /**
     * The integer key a relation's rows are cut and narrowed by: the column of a one-column int2/int4/int8 primary
     * key, or of a unique index on a NOT NULL integer column (valid, not partial, not on an expression).
     */
    private static final String RELATIONS = """
            SELECT n.nspname, c.relname, c.relkind = 'm', c.relispopulated, pg_catalog.pg_table_size(c.oid), k.attname
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN LATERAL (
                SELECT a.attname FROM pg_catalog.pg_index i
                JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                WHERE i.indrelid = c.oid AND i.indnatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL
                  AND i.indisvalid AND (i.indisprimary OR (i.indisunique AND a.attnotnull))
                  AND a.atttypid IN ('pg_catalog.int2'::pg_catalog.regtype, 'pg_catalog.int4'::pg_catalog.regtype,
                                     'pg_catalog.int8'::pg_catalog.regtype)
                ORDER BY i.indisprimary DESC, i.indexrelid LIMIT 1) k ON true
            WHERE c.relkind IN ('r', 'm') AND c.relpersistence IN ('p', 'u') AND
            """ + CatalogSql.USER_RELATION;

    private static final String SEQUENCES = """
            SELECT c.oid, n.nspname, c.relname
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'S' AND
            """ + CatalogSql.USER_RELATION;

    private DataCatalog() {
    }

    /**
     * A relation with rows.
     *
     * @param name its name
     * @param materializedView whether it is a materialized view (else a table)
     * @param populated whether it can be read: always for tables, once refreshed for materialized views
     * @param bytes its size on disk with TOAST ({@code pg_table_size})
     * @param key the integer key column its rows are cut and narrowed by, when it has one
     */
    record Relation(QualifiedName name, boolean materializedView, boolean populated, long bytes,
            Optional<String> key) {
    }

    /**
     * A sequence's state.
     *
     * @param lastValue {@code last_value}
     * @param isCalled {@code is_called}
     */
    record SequenceState(long lastValue, boolean isCalled) {
    }

    /** The relations with rows, by name. */
    static Map<QualifiedName, Relation> relations(Connection c) throws SQLException {
        Map<QualifiedName, Relation> relations = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(RELATIONS)) {
            while (rs.next()) {
                QualifiedName name = new QualifiedName(rs.getString(1), rs.getString(2));
                relations.put(name, new Relation(name, rs.getBoolean(3), rs.getBoolean(4), rs.getLong(5),
                        Optional.ofNullable(rs.getString(6))));
            }
        }
        return relations;
    }

    /** Every sequence's state, by name; sequences are not transactional, so this is their state now. */
    static Map<QualifiedName, SequenceState> sequences(Connection c) throws SQLException {
        List<Long> oids = new ArrayList<>();
        List<QualifiedName> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SEQUENCES)) {
            while (rs.next()) {
                oids.add(rs.getLong(1));
                names.add(new QualifiedName(rs.getString(2), rs.getString(3)));
            }
        }
        Map<QualifiedName, SequenceState> states = new TreeMap<>();
        for (SequenceValue v : CatalogReader.sequenceValues(c, oids, names)) {
            states.put(v.name(), new SequenceState(v.lastValue(), v.isCalled()));
        }
        return states;
    }

    /** Whether the database has a large object. */
    static boolean hasLargeObjects(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_largeobject_metadata)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
