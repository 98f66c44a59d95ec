package io.pgcopydb.internal.run;

import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import java.util.List;
import java.util.Optional;

/**
 * Which running index build a row of {@code pg_stat_progress_create_index} is: the target's OIDs are not the
 * source's, and a non-concurrent build's row names no index ({@code index_relid} is 0), so the row is matched by
 * its table's name and by the statement its backend runs ({@code pg_stat_activity.query}, which the server may
 * have cut short). Pure.
 */
final class IndexMatch {
    private IndexMatch() {
    }

    /**
     * The build among {@code running} on {@code table} whose definition is the {@code query} (or starts it when
     * cut short); the only build on that table when none matches by its text (a replaced index builder).
     */
    static Optional<IndexDefinition> find(List<IndexDefinition> running, QualifiedName table, String query) {
        List<IndexDefinition> onTable = running.stream().filter(i -> i.table().equals(table)).toList();
        String q = query == null ? "" : query.strip();
        if (!q.isEmpty()) {
            for (IndexDefinition i : onTable) {
                String def = i.definition().strip();
                if (q.startsWith(def) || (q.length() >= 64 && def.startsWith(q))) {
                    return Optional.of(i);
                }
            }
        }
        return onTable.size() == 1 ? Optional.of(onTable.get(0)) : Optional.empty();
    }
}
