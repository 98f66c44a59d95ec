package io.pgcopydb.internal.data;

import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
}
