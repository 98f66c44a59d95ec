package io.pgcopydb.internal.data;

import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.model.SourceTable;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an index build waits in the index lane, largest expected cost first, so that the end of the longest chain
 * starts as early as it can. A table under 64 MB comes first of all: its builds take moments, and its constraints
 * and VACUUM follow at once. The others' builds are ordered by their cost, estimated from the source: the index's
 * size, three times over when a key column sorts by a collation that compares through a library — libc's
 * {@code strcoll} for a locale other than {@code C}/{@code POSIX}, or ICU — rather than byte by byte (measured
 * on the benchmark's {@code wide} table, 2 M rows: the index on a text column under {@code C.UTF-8} 5.3 s, the
 * same under {@code "C"} 1.95 s, an integer one 1.3 s). Read in one query, only when some table is big enough
 * for the order to matter; without it (or when it fails) a build's cost is its table's size, the order of earlier
 * versions.
 */
final class IndexCosts {
    private static final Logger LOG = LoggerFactory.getLogger(IndexCosts.class);
    static final long SMALL_TABLE = 64L << 20;
    static final int COLLATED_FACTOR = 3;

    /**
     * Whether a key's collation compares through a library ({@code strcoll}, ICU) rather than byte by byte: by its
     * provider — builtin (PostgreSQL 17+) never, ICU always, libc unless its locale is C or POSIX (an ICU
     * collation's {@code collcollate} is empty, a builtin one's too). The default collation is the database's:
     * its provider from PostgreSQL 15 on ({@code datlocprovider}), libc before.
     */
    private static final String SQL = """
            SELECT i.indexrelid, pg_catalog.pg_relation_size(i.indexrelid),
                   EXISTS (SELECT 1 FROM pg_catalog.unnest(i.indcollation) AS k(coll)
                           LEFT JOIN pg_catalog.pg_collation c ON c.oid = k.coll
                           WHERE k.coll <> 0
                             AND CASE WHEN k.coll = 100
                                      THEN (SELECT %s FROM pg_catalog.pg_database d
                                            WHERE d.datname = pg_catalog.current_database())
                                      WHEN c.collprovider = 'b' THEN false
                                      WHEN c.collprovider = 'i' THEN true
                                      ELSE coalesce(c.collcollate, '') NOT IN ('C', 'POSIX') END)
            FROM pg_catalog.pg_index i
            WHERE i.indexrelid = ANY (?)""";
    private static final String DATABASE_LIBC = "d.datcollate NOT IN ('C', 'POSIX')";
    private static final String DATABASE_BY_PROVIDER = "CASE d.datlocprovider WHEN 'b' THEN false WHEN 'i' THEN true"
            + " ELSE " + DATABASE_LIBC + " END";

    private final Map<Long, Long> costs;

    /** Known costs by index OID; any other index costs its table's size. */
    IndexCosts(Map<Long, Long> costs) {
        this.costs = Map.copyOf(costs);
    }

    /** The costs of the indexes of {@code tables}' big ones, read from the source of {@code context}. */
    static IndexCosts read(RunContext context, List<SourceTable> tables, SourceCatalog catalog) {
        Long[] oids = tables.stream().filter(t -> t.bytes() >= SMALL_TABLE)
                .flatMap(t -> catalog.indexesOf(t).stream()).map(IndexDefinition::oid).toArray(Long[]::new);
        if (oids.length < 2) {
            return new IndexCosts(Map.of());
        }
        try (Connection source = context.openSource()) {
            return new IndexCosts(query(source, oids));
        } catch (SQLException e) {
            LOG.debug("Index builds ordered by their table's size: {}", Errors.message(e));
            return new IndexCosts(Map.of());
        }
    }

    /** The expected cost of building each index of {@code oids}, by OID, as the server of {@code source} says. */
    static Map<Long, Long> query(Connection source, Long[] oids) throws SQLException {
        Map<Long, Long> costs = new HashMap<>();
        String database = source.getMetaData().getDatabaseMajorVersion() >= 15 ? DATABASE_BY_PROVIDER : DATABASE_LIBC;
        try (PreparedStatement s = source.prepareStatement(String.format(SQL, database))) {
            Array array = source.createArrayOf("oid", oids);
            s.setArray(1, array);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    costs.put(rs.getLong(1), rs.getLong(2) * (rs.getBoolean(3) ? COLLATED_FACTOR : 1));
                }
            }
        }
        return costs;
    }

    /** The expected cost of building {@code index} of {@code table}: as read, else the table's size. */
    long cost(SourceTable table, IndexDefinition index) {
        return costs.getOrDefault(index.oid(), table.bytes());
    }

    /**
     * {@code indexes} of {@code table} in the order to submit them, highest {@link #priority} first: a free index
     * job takes the first one submitted at once, before any priority is compared.
     */
    List<IndexDefinition> costliestFirst(SourceTable table, List<IndexDefinition> indexes) {
        return indexes.stream().sorted(Comparator.comparingLong(i -> -priority(table, i))).toList();
    }

    /** Higher first: a small table's builds, then by the expected cost of building {@code index}. */
    long priority(SourceTable table, IndexDefinition index) {
        return priority(table, cost(table, index));
    }

    static long priority(SourceTable table, long cost) {
        return table.bytes() < SMALL_TABLE ? Long.MAX_VALUE - 1 - table.bytes() : Math.min(cost, Long.MAX_VALUE / 2);
    }
}
