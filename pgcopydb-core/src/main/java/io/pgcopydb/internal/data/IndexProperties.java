package io.pgcopydb.internal.data;

import io.pgcopydb.Phase;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What pg_dump writes in the same archive entry as an index or constraint, and so is lost when the post-data
 * filter comments that entry out because the engine built the object: per-column statistics targets of the
 * index, {@code CLUSTER ON}, and {@code REPLICA IDENTITY USING INDEX}.
 */
final class IndexProperties {
    private IndexProperties() {
    }

    /** The statements restoring {@code index}'s properties on the target, in pg_dump's order; often none. */
    static List<String> statements(IndexDefinition index) {
        List<String> sql = new ArrayList<>();
        QualifiedName name = index.name();
        for (Map.Entry<Integer, Integer> stat : index.columnStatistics().entrySet()) {
            sql.add("ALTER INDEX " + name.quoted() + " ALTER COLUMN " + stat.getKey() + " SET STATISTICS "
                    + stat.getValue());
        }
        String table = "ALTER TABLE ONLY " + index.table().quoted();
        String quotedIndex = QualifiedName.quoteIdent(name.name());
        if (index.clustered()) {
            sql.add(table + " CLUSTER ON " + quotedIndex);
        }
        if (index.replicaIdentity()) {
            sql.add(table + " REPLICA IDENTITY USING INDEX " + quotedIndex);
        }
        return sql;
    }

    /**
     * Restores the properties of {@code indexes} (one table's) on a new target connection, retried as any unit;
     * {@code failure} records a failure. CLUSTER ON, REPLICA IDENTITY and statistics targets would otherwise be lost
     * with the filtered post-data entries.
     *
     * @return whether the properties are restored (false when stopping)
     */
    static boolean restore(RunContext context, List<IndexDefinition> indexes, BiConsumer<String, Throwable> failure) {
        List<String> statements = indexes.stream().flatMap(i -> statements(i).stream()).toList();
        if (statements.isEmpty() || context.isStopping()) {
            return !context.isStopping();
        }
        String what = "index properties of " + indexes.get(0).table();
        try {
            context.run().retrier().call(Phase.COPY_DATA, what, attempt -> {
                TargetState.execute(context, statements);
                return null;
            });
            return true;
        } catch (Throwable e) {
            if (!context.isCancelled()) {
                failure.accept(what, e);
            }
            return false;
        }
    }
}
