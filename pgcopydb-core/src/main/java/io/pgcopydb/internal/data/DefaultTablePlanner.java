package io.pgcopydb.internal.data;

import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.stage.StageContext;
import io.pgcopydb.stage.TablePlanner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Largest first: the longest copies start first, so the run ends sooner. A table larger than
 * {@code splitTablesLargerThan} is cut into parts by ranges of its integer key (a one-column integer primary key,
 * or unique index on a NOT NULL integer column), read inside the snapshot: several jobs then copy it at once, and a
 * resumed run can redo one part by deleting that part's range. A table without such a key is copied whole.
 */
public final class DefaultTablePlanner implements TablePlanner {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultTablePlanner.class);
    static final Comparator<SourceTable> LARGEST_FIRST = Comparator.comparingLong(SourceTable::bytes).reversed()
            .thenComparing(SourceTable::name);

    private static final String INTEGER_KEY = """
            SELECT a.attname
            FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = ? AND i.indnatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL
              AND (i.indisprimary OR (i.indisunique AND a.attnotnull))
              AND a.atttypid IN ('pg_catalog.int2'::pg_catalog.regtype, 'pg_catalog.int4'::pg_catalog.regtype,
                                 'pg_catalog.int8'::pg_catalog.regtype)
            ORDER BY i.indisprimary DESC, i.indexrelid LIMIT 1""";

    @Override
    public CopyPlan plan(SourceCatalog catalog, StageContext context) {
        long threshold = context == null ? 0 : context.splitTablesLargerThan();
        int maxParts = context == null ? 1 : context.splitMaxParts();
        List<TablePart> parts = new ArrayList<>();
        for (SourceTable t : catalog.tables().stream().sorted(LARGEST_FIRST).toList()) {
            int wanted = threshold <= 0 ? 1 : (int) Math.min(maxParts, (t.bytes() + threshold - 1) / threshold);
            parts.addAll(wanted <= 1 ? List.of(TablePart.whole(t)) : split(t, wanted, context));
        }
        return new CopyPlan(parts);
    }

    private static List<TablePart> split(SourceTable table, int wanted, StageContext context) {
        try (Connection c = context.openSource()) {
            try {
                Optional<String> key = integerKey(c, table.oid());
                if (key.isEmpty()) {
                    LOG.info("{} ({} bytes) is not split: it has no integer key to split on", table.name(),
                            table.bytes());
                    return List.of(TablePart.whole(table));
                }
                String column = QualifiedName.quoteIdent(key.get());
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT min(" + column
                        + "), max(" + column + ") FROM ONLY " + table.name().quoted())) {
                    rs.next();
                    if (rs.getObject(1) == null) {
                        return List.of(TablePart.whole(table));
                    }
                    List<TablePart> parts = rangeParts(table, key.get(), rs.getLong(1), rs.getLong(2), wanted);
                    LOG.info("{} is split in {} parts on {}", table.name(), parts.size(), column);
                    return parts;
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot plan the split of " + table.name() + ": " + Errors.message(e), e);
        }
    }

    private static Optional<String> integerKey(Connection c, long oid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INTEGER_KEY)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * {@code wanted} parts (fewer when the range is smaller) covering every value of {@code column}: the first
     * part is {@code < b1}, the last {@code >= bn}, the others {@code >= b AND < b'} — so rows outside
     * {@code [min, max]} still land in exactly one part.
     */
    static List<TablePart> rangeParts(SourceTable table, String column, long min, long max, int wanted) {
        long span = max - min + 1;
        int n = (int) Math.max(1, Math.min(wanted, span <= 0 ? wanted : span));
        if (n == 1) {
            return List.of(TablePart.whole(table));
        }
        String k = QualifiedName.quoteIdent(column);
        List<Long> bounds = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            // min + span * i / n without overflow for any long range
            bounds.add(min + (long) (((double) max - min + 1) * i / n));
        }
        List<TablePart> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String predicate = i == 0 ? k + " < " + bounds.get(0)
                    : i == n - 1 ? k + " >= " + bounds.get(n - 2)
                    : k + " >= " + bounds.get(i - 1) + " AND " + k + " < " + bounds.get(i);
            parts.add(new TablePart(table, i + 1, n, Optional.of(predicate)));
        }
        return parts;
    }
}
