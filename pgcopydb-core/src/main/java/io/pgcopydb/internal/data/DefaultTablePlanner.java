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
 * {@code splitTablesLargerThan} (heap and TOAST bytes) is cut into about one part per threshold, at most
 * {@code splitMaxParts}, read inside the snapshot so that several jobs copy it at once:
 * <ul>
 *   <li>by ranges of its integer key (a one-column integer primary key, or unique index on a NOT NULL integer
 *       column), NULLs in the first part all the same: a resumed run redoes one part by deleting its range;</li>
 *   <li>else, unless {@code splitByCtid} is off, by ranges of its heap's pages ({@code ctid}), counted in the
 *       snapshot's session rather than read from the statistics: a part's rows cannot be told apart on the target,
 *       so such a table is redone whole ({@link SplitTableCopy}). A source older than PostgreSQL 14 has no TID range
 *       scan (every part would read the whole table): such tables are copied whole there.</li>
 * </ul>
 */
public final class DefaultTablePlanner implements TablePlanner {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultTablePlanner.class);
    static final Comparator<SourceTable> LARGEST_FIRST = Comparator.comparingLong(SourceTable::bytes).reversed()
            .thenComparing(SourceTable::name);
    /** The first version with TID range scans: before it, {@code ctid >= …} reads the whole table. */
    static final int TID_RANGE_SCAN = 140000;

    private static final String INTEGER_KEY = """
            SELECT a.attname
            FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = ? AND i.indnatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL
              AND (i.indisprimary OR (i.indisunique AND a.attnotnull))
              AND a.atttypid IN ('pg_catalog.int2'::pg_catalog.regtype, 'pg_catalog.int4'::pg_catalog.regtype,
                                 'pg_catalog.int8'::pg_catalog.regtype)
            ORDER BY i.indisprimary DESC, i.indexrelid LIMIT 1""";
    /** The heap's pages now (relpages is only as fresh as the last VACUUM), and its access method. */
    private static final String PAGES = """
            SELECT pg_catalog.current_setting('server_version_num')::int,
                   pg_catalog.pg_relation_size(c.oid, 'main') / pg_catalog.current_setting('block_size')::bigint,
                   coalesce((SELECT am.amname FROM pg_catalog.pg_am am WHERE am.oid = c.relam), 'heap')
            FROM pg_catalog.pg_class c WHERE c.oid = ?""";

    @Override
    public CopyPlan plan(SourceCatalog catalog, StageContext context) {
        long threshold = context == null ? 0 : context.splitTablesLargerThan();
        int maxParts = context == null ? 1 : context.splitMaxParts();
        List<TablePart> parts = new ArrayList<>();
        for (SourceTable t : catalog.tables().stream().sorted(LARGEST_FIRST).toList()) {
            int wanted = partsWanted(t.bytes(), threshold, maxParts);
            parts.addAll(wanted <= 1 ? List.of(TablePart.whole(t)) : split(t, wanted, context));
        }
        return new CopyPlan(parts);
    }

    /**
     * One part per {@code threshold} bytes begun (heap and TOAST), at most {@code maxParts}; 1 when
     * {@code threshold} is 0 (never split).
     */
    static int partsWanted(long bytes, long threshold, int maxParts) {
        if (threshold <= 0 || bytes <= threshold) {
            return 1;
        }
        long perThreshold = bytes / threshold + (bytes % threshold == 0 ? 0 : 1);
        return (int) Math.min(maxParts, perThreshold);
    }

    private static List<TablePart> split(SourceTable table, int wanted, StageContext context) {
        try (Connection c = context.openSource()) {
            try {
                Optional<String> key = integerKey(c, table.oid());
                if (key.isPresent()) {
                    return byKey(c, table, key.get(), wanted);
                }
                if (!context.splitByCtid()) {
                    LOG.info("{} ({} bytes) is not split: it has no integer key, and splitting by pages is off "
                            + "(skipSplitByCtid)", table.name(), table.bytes());
                    return List.of(TablePart.whole(table));
                }
                return byPages(c, table, wanted);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot plan the split of " + table.name() + ": " + Errors.message(e), e);
        }
    }

    private static List<TablePart> byKey(Connection c, SourceTable table, String key, int wanted)
            throws SQLException {
        String column = QualifiedName.quoteIdent(key);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT min(" + column + "), max("
                + column + ") FROM ONLY " + table.name().quoted())) {
            rs.next();
            if (rs.getObject(1) == null) {
                return List.of(TablePart.whole(table));
            }
            List<TablePart> parts = rangeParts(table, key, rs.getLong(1), rs.getLong(2), wanted);
            LOG.info("{} is split in {} parts on {}", table.name(), parts.size(), column);
            return parts;
        }
    }

    private static List<TablePart> byPages(Connection c, SourceTable table, int wanted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PAGES)) {
            ps.setLong(1, table.oid());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return List.of(TablePart.whole(table));
                }
                if (rs.getInt(1) < TID_RANGE_SCAN) {
                    LOG.warn("{} ({} bytes) is copied whole: it has no integer key, and a source older than "
                            + "PostgreSQL 14 has no TID range scan to split it by pages (each part would read all of "
                            + "it)", table.name(), table.bytes());
                    return List.of(TablePart.whole(table));
                }
                if (!rs.getString(3).equals("heap")) {
                    LOG.info("{} is not split: it has no integer key, and its access method {} may not keep rows "
                            + "in pages by ctid", table.name(), rs.getString(3));
                    return List.of(TablePart.whole(table));
                }
                List<TablePart> parts = pageParts(table, rs.getLong(2), wanted);
                if (parts.size() == 1) {
                    LOG.info("{} ({} bytes) is not split: it has no integer key and its heap has {} page(s)",
                            table.name(), table.bytes(), rs.getLong(2));
                } else {
                    LOG.info("{} is split in {} parts on its {} pages (ctid)", table.name(), parts.size(),
                            rs.getLong(2));
                }
                return parts;
            }
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
     * {@code wanted} parts (fewer when the range is smaller) covering every value of {@code column}
     * ({@link PartRange#cut}): the first part is {@code < b1} or NULL, the last {@code >= bn}, the others
     * {@code >= b AND < b'} — so rows outside {@code [min, max]} and NULLs still land in exactly one part.
     */
    static List<TablePart> rangeParts(SourceTable table, String column, long min, long max, int wanted) {
        List<PartRange> ranges = PartRange.cut(min, max, wanted, true);
        String quoted = QualifiedName.quoteIdent(column);
        return parts(table, ranges, TablePart.Split.BY_VALUE, r -> r.keyPredicate(quoted));
    }

    /**
     * {@code wanted} parts (fewer when the heap has fewer pages) covering every page: the first part is the pages
     * before {@code b1}, the last the pages from {@code bn} on, pages added since the plan included.
     */
    static List<TablePart> pageParts(SourceTable table, long pages, int wanted) {
        if (pages <= 1) {
            return List.of(TablePart.whole(table));
        }
        return parts(table, PartRange.cut(0, pages - 1, wanted, false), TablePart.Split.BY_PAGE,
                PartRange::pagePredicate);
    }

    private static List<TablePart> parts(SourceTable table, List<PartRange> ranges, TablePart.Split split,
            java.util.function.Function<PartRange, String> predicate) {
        int n = ranges.size();
        if (n == 1) {
            return List.of(TablePart.whole(table));
        }
        List<TablePart> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parts.add(new TablePart(table, i + 1, n, Optional.of(predicate.apply(ranges.get(i))), split));
        }
        return parts;
    }
}
