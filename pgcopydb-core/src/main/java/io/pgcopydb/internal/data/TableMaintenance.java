package io.pgcopydb.internal.data;

import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.SourceTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a copied table needs before it is used: statistics, and a visibility map so that index-only scans and
 * later VACUUMs skip its pages. {@code VACUUM (ANALYZE)} gives both. A table copied whole was loaded by
 * {@code COPY … FREEZE} in the transaction that truncated it: from PostgreSQL 14 its heap pages are then already
 * frozen and all-visible, and VACUUM would only read the visibility map to find nothing to do — so such a table gets
 * {@code ANALYZE} alone, which also counts the all-visible pages ({@code pg_class.relallvisible}). That count is
 * checked, not assumed: when a page is not all-visible (a server before 14, a replaced copy stage that did not
 * freeze) or the table has TOAST data (COPY FREEZE freezes TOAST rows but does not mark their pages all-visible),
 * VACUUM runs after all.
 *
 * <p>Neither needs the table's indexes, except one: ANALYZE samples the expressions of expression indexes (their
 * statistics are the index's own rows in {@code pg_statistic}). A table without such an index is maintained as soon
 * as its rows are in, before its index builds ({@link #needsIndexes}; not beside them: its lock conflicts with
 * CREATE INDEX's), so that a large table's ANALYZE is not the last thing left running on one core when the copy
 * ends, and runs while its builds would wait for a free index job anyway. CREATE INDEX keeps the counts ANALYZE
 * made (it counts the all-visible pages again) and puts the exact row count in {@code reltuples}.
 */
final class TableMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);
    private static final String VISIBILITY = """
            SELECT c.relpages, c.relallvisible,
                   CASE WHEN c.reltoastrelid = 0 THEN 0 ELSE pg_catalog.pg_relation_size(c.reltoastrelid) END
            FROM pg_catalog.pg_class c WHERE c.oid = ?::pg_catalog.regclass""";

    private TableMaintenance() {
    }

    /**
     * Vacuums and analyzes {@code table} on {@code target}, or only analyzes it when {@code copiedWhole} and its
     * pages turn out all-visible.
     *
     * @return the statements that ran, for the log
     */
    static String run(Connection target, SourceTable table, boolean copiedWhole) throws SQLException {
        String name = table.name().quoted();
        if (!copiedWhole) {
            Sessions.execute(target, "VACUUM (ANALYZE) " + name);
            return "VACUUM (ANALYZE)";
        }
        Sessions.execute(target, "ANALYZE " + name);
        if (allVisible(target, name)) {
            return "ANALYZE (COPY FREEZE left every page all-visible)";
        }
        Sessions.execute(target, "VACUUM " + name);
        return "ANALYZE, VACUUM";
    }

    /**
     * Whether the table's maintenance must wait for {@code indexes}: one of them may have an expression column.
     */
    static boolean needsIndexes(List<IndexDefinition> indexes) {
        return indexes.stream().anyMatch(i -> mayHaveExpressions(i.definition()));
    }

    /**
     * Whether the key columns of {@code definition} ({@code pg_get_indexdef()}) hold a parenthesis: an expression
     * ({@code (lower(email))}, {@code lower(email)}) or an operator class with parameters. Plain columns, operator
     * classes, collations and orderings have none outside quoted names. The first parenthesis outside double quotes
     * opens the key columns (a name with a parenthesis is quoted). True when the definition cannot be read so.
     */
    static boolean mayHaveExpressions(String definition) {
        boolean quoted = false;
        boolean inKeys = false;
        for (int i = 0; i < definition.length(); i++) {
            char c = definition.charAt(i);
            if (c == '"') {
                // A doubled quote inside a name toggles twice.
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                if (inKeys) {
                    return true;
                }
                inKeys = true;
            } else if (!quoted && c == ')') {
                return !inKeys;
            }
        }
        return true;
    }

    private static boolean allVisible(Connection target, String name) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(VISIBILITY)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean visible = rs.getLong(2) >= rs.getLong(1) && rs.getLong(3) == 0;
                LOG.debug("{}: {} pages, {} all-visible, {} TOAST bytes", name, rs.getLong(1), rs.getLong(2),
                        rs.getLong(3));
                return visible;
            }
        }
    }
}
