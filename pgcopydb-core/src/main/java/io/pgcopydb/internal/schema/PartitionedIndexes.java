package io.pgcopydb.internal.schema;

import io.pgcopydb.internal.postgres.TocLine;
import io.pgcopydb.internal.run.RunContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexes and constraints of partitioned tables that a resumed run finds on the target, restored by the
 * interrupted run's post-data: the resumed post-data restore keeps them instead of replacing them
 * ({@code --clean}). Dropping a partitioned table's index drops the partitions' indexes attached to it, which the
 * engine built and post-data does not create again; and a foreign key restored by the interrupted run may depend
 * on it, so the drop would fail. Keeping them is exact: an index follows the rows whatever was loaded after it,
 * and {@code ALTER INDEX … ATTACH PARTITION} of a partition index already attached does nothing.
 */
final class PartitionedIndexes {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionedIndexes.class);

    /** How pg_restore --list names them: {@code INDEX schema name} and {@code CONSTRAINT schema table name}. */
    private static final String EXISTING = """
            SELECT 'INDEX ' || n.nspname || ' ' || x.relname || ' '
              FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class t ON t.oid = i.indrelid AND t.relkind = 'p'
              JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = x.relnamespace
            UNION ALL
            SELECT 'CONSTRAINT ' || n.nspname || ' ' || t.relname || ' ' || k.conname || ' '
              FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class t ON t.oid = k.conrelid AND t.relkind = 'p'
              JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
             WHERE k.contype IN ('p', 'u', 'x')""";

    private PartitionedIndexes() {
    }

    /** {@code list} with the INDEX and CONSTRAINT entries of partitioned tables the target has commented out. */
    static List<String> keepExisting(RunContext context, List<String> list) throws SQLException {
        Set<String> existing = new HashSet<>();
        try (Connection target = context.openTarget(); Statement s = target.createStatement();
                ResultSet rs = s.executeQuery(EXISTING)) {
            while (rs.next()) {
                existing.add(TocLine.sanitize(rs.getString(1)));
            }
        }
        if (existing.isEmpty()) {
            return list;
        }
        List<String> kept = list.stream().map(line -> TocLine.parse(line)
                .filter(e -> (e.is("INDEX") || e.is("CONSTRAINT"))
                        && existing.stream().anyMatch(e.rest()::startsWith))
                .map(e -> ";" + line).orElse(line)).toList();
        long count = kept.stream().filter(l -> l.startsWith(";")).count()
                - list.stream().filter(l -> l.startsWith(";")).count();
        if (count > 0) {
            LOG.info("Keeping {} index(es) and constraint(s) of partitioned tables that the interrupted run "
                    + "restored", count);
        }
        return kept;
    }
}
