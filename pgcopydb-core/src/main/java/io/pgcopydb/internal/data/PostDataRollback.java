package io.pgcopydb.internal.data;

import io.pgcopydb.Phase;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.internal.state.JournalEntry;
import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a resumed run's data step: takes off the tables it copies again what a post-data restore of the
 * interrupted run put on them. A run restores post-data only once its data is complete, but it may have been
 * killed after the data of a table was committed and before its journal line, or the journal may be an older
 * version's, which restored post-data after failed COPYs (issue 13: the resumed run then failed on every table
 * with "cannot truncate a table referenced in a foreign key constraint"). What is taken off:
 * <ul>
 *   <li>foreign keys at either end of such a table (or of a table it is a partition or child of): TRUNCATE refuses
 *       a referenced table, and the DELETE of a split part's range and the COPY would be checked against tables
 *       that are not complete yet;</li>
 *   <li>NOT VALID check constraints: checked on every new row, which the source's rows need not pass;</li>
 *   <li>user triggers: they would fire on the COPY;</li>
 *   <li>row-level security: COPY FROM is refused where the copying role is subject to policies.</li>
 * </ul>
 * Each of these is a post-data object of the archive (pre-data never creates them), so the post-data restore,
 * which replaces on a resumed run, creates them again after the data. When the journal says post-data was
 * finished, an {@link JournalEntry.Undone} line is written first, durably: a run killed right after the drops
 * is resumed with post-data still to do.
 */
final class PostDataRollback {
    private static final Logger LOG = LoggerFactory.getLogger(PostDataRollback.class);

    /** The tables copied again, and the tables they are partitions or inheritance children of. */
    private static final String COPIED = """
            WITH RECURSIVE copied(relid) AS (
                SELECT pg_catalog.to_regclass(u.name)::oid FROM pg_catalog.unnest(?::text[]) AS u(name)
                 WHERE pg_catalog.to_regclass(u.name) IS NOT NULL
              UNION
                SELECT i.inhparent FROM pg_catalog.pg_inherits i JOIN copied ON copied.relid = i.inhrelid)
            """;

    private PostDataRollback() {
    }

    /** Clears what stands in the way of the tables {@code plan} copies again; a no-op unless resuming. */
    static void beforeData(RunContext context, CopyPlan plan) throws Exception {
        Journal journal = context.journal();
        if (!context.options().resume()) {
            return;
        }
        Map<SourceTable, List<TablePart>> partsByTable = new LinkedHashMap<>();
        plan.parts().forEach(p -> partsByTable.computeIfAbsent(p.table(), t -> new ArrayList<>()).add(p));
        List<String> again = partsByTable.values().stream().filter(parts -> SplitTableCopy.appliesTo(parts)
                ? !SplitTableCopy.isComplete(journal, parts)
                : parts.stream().anyMatch(p -> journal.partCopied(p.table().oid(), p.number()).isEmpty()))
                .map(parts -> parts.get(0).table().name().quoted()).toList();
        if (again.isEmpty()) {
            return;
        }
        if (journal.isFinished(JournalEntry.Kind.POST_DATA)) {
            // The data under it is not complete: post-data is restored again once it is.
            LOG.info("Post-data was restored by the interrupted run, but {} table(s) are copied again: it is "
                    + "restored again after the data", again.size());
            journal.record(new JournalEntry.Undone(JournalEntry.Kind.POST_DATA));
        }
        context.run().retrier().call(Phase.COPY_DATA, "post-data objects on the tables copied again", attempt -> {
            drop(context, again);
            return null;
        });
    }

    private static void drop(RunContext context, List<String> tables) throws SQLException {
        try (Connection target = context.openTarget()) {
            List<String> statements = statements(target, tables);
            if (statements.isEmpty()) {
                return;
            }
            LOG.info("Dropping {} post-data object(s) of the interrupted run in the way of the {} table(s) copied "
                    + "again; post-data restores them after the data", statements.size(), tables.size());
            target.setAutoCommit(false);
            for (String sql : statements) {
                LOG.debug("{};", sql);
                Sessions.execute(target, sql);
            }
            target.commit();
        }
    }

    /** The statements dropping foreign keys, NOT VALID checks and triggers, and disabling row-level security. */
    static List<String> statements(Connection target, List<String> tables) throws SQLException {
        int version;
        try (PreparedStatement ps = target.prepareStatement("SELECT current_setting('server_version_num')::int");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            version = rs.getInt(1);
        }
        // A partition's or child's copy of a parent's constraint or trigger goes with the parent's.
        String topConstraint = version >= 110000 ? " AND k.conparentid = 0" : "";
        String topTrigger = version >= 130000 ? " AND t.tgparentid = 0" : "";
        String sql = COPIED + """
                SELECT 1, format('ALTER TABLE %I.%I DROP CONSTRAINT IF EXISTS %I', n.nspname, r.relname, k.conname)
                  FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class r ON r.oid = k.conrelid
                  JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
                 WHERE k.coninhcount = 0""" + topConstraint + """

                   AND ((k.contype = 'f' AND (k.conrelid IN (SELECT relid FROM copied)
                                              OR k.confrelid IN (SELECT relid FROM copied)))
                        OR (k.contype = 'c' AND NOT k.convalidated AND k.conrelid IN (SELECT relid FROM copied)))
                UNION ALL
                SELECT 2, format('DROP TRIGGER IF EXISTS %I ON %I.%I', t.tgname, n.nspname, r.relname)
                  FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class r ON r.oid = t.tgrelid
                  JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
                 WHERE NOT t.tgisinternal AND t.tgrelid IN (SELECT relid FROM copied)""" + topTrigger + """

                UNION ALL
                SELECT 3, format('ALTER TABLE ONLY %I.%I DISABLE ROW LEVEL SECURITY', n.nspname, r.relname)
                  FROM pg_catalog.pg_class r JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
                 WHERE r.relrowsecurity AND r.oid IN (SELECT relid FROM copied)
                ORDER BY 1, 2""";
        List<String> statements = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            ps.setArray(1, target.createArrayOf("text", tables.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    statements.add(rs.getString(2));
                }
            }
        }
        return statements;
    }
}
