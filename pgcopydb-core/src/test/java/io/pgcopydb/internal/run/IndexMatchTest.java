package io.pgcopydb.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A row of pg_stat_progress_create_index is matched to the build running it by table and statement. */
class IndexMatchTest {
    private static final QualifiedName ORDERS = new QualifiedName("public", "orders");
    private static final IndexDefinition PKEY = index(1, "orders_pkey",
            "CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)");
    private static final IndexDefinition BY_DATE = index(2, "orders_date_idx",
            "CREATE INDEX orders_date_idx ON public.orders USING btree (placed_at)");
    private static final IndexDefinition ELSEWHERE = index(3, "items_pkey",
            "CREATE UNIQUE INDEX items_pkey ON public.items USING btree (id)");

    private static IndexDefinition index(long oid, String name, String sql) {
        QualifiedName table = new QualifiedName("public", sql.contains("items") ? "items" : "orders");
        return new IndexDefinition(oid, new QualifiedName("public", name), table, 10 + oid, sql, Optional.empty());
    }

    @Test
    void theStatementSaysWhichOfATablesBuildsItIs() {
        List<IndexDefinition> running = List.of(PKEY, BY_DATE, ELSEWHERE);
        assertThat(IndexMatch.find(running, ORDERS, BY_DATE.definition())).contains(BY_DATE);
        assertThat(IndexMatch.find(running, ORDERS, PKEY.definition() + ";")).contains(PKEY);
        assertThat(IndexMatch.find(running, ORDERS, BY_DATE.definition().substring(0, 66)))
                .as("cut short by track_activity_query_size").contains(BY_DATE);
        assertThat(IndexMatch.find(running, ORDERS, "CREATE INDEX something else")).isEmpty();
    }

    @Test
    void theOnlyBuildOnTheTableIsItWhateverTheStatement() {
        assertThat(IndexMatch.find(List.of(PKEY, ELSEWHERE), ORDERS, "")).contains(PKEY);
        assertThat(IndexMatch.find(List.of(ELSEWHERE), ORDERS, PKEY.definition())).isEmpty();
    }
}
