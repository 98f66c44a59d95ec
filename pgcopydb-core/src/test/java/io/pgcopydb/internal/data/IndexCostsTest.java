package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class IndexCostsTest {

    /** A small table's builds come before any big table's, the smaller table first; big ones by their cost. */
    @Property
    void smallTablesFirstThenTheCostliestBuild(@ForAll @LongRange(min = 0, max = (64L << 20) - 1) long small,
            @ForAll @LongRange(min = 64L << 20, max = 1L << 50) long big,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long cost,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long otherCost) {
        SourceTable smallTable = table(small);
        SourceTable bigTable = table(big);
        assertThat(IndexCosts.priority(smallTable, cost)).isGreaterThan(IndexCosts.priority(bigTable, cost));
        assertThat(IndexCosts.priority(table(small + 1), cost)).isLessThan(IndexCosts.priority(smallTable, cost));
        assertThat(Long.compare(IndexCosts.priority(bigTable, cost), IndexCosts.priority(bigTable, otherCost)))
                .isEqualTo(Long.compare(Math.min(cost, Long.MAX_VALUE / 2), Math.min(otherCost, Long.MAX_VALUE / 2)));
    }

    /** A table's builds are submitted highest priority first, every one of them once. */
    @Property
    void aTablesBuildsAreSubmittedCostliestFirst(@ForAll @LongRange(min = 0, max = 1L << 40) long tableBytes,
            @ForAll @Size(max = 8) List<@LongRange(min = 0, max = 1L << 40) Long> costs, @ForAll boolean known) {
        SourceTable table = table(tableBytes);
        List<IndexDefinition> indexes = new ArrayList<>();
        Map<Long, Long> byOid = new HashMap<>();
        for (int i = 0; i < costs.size(); i++) {
            indexes.add(new IndexDefinition(100 + i, new QualifiedName("public", "i" + i), table.name(), 1,
                    "CREATE INDEX", Optional.empty()));
            if (known) {
                byOid.put(100L + i, costs.get(i));
            }
        }
        IndexCosts indexCosts = new IndexCosts(byOid);

        List<IndexDefinition> order = indexCosts.costliestFirst(table, indexes);

        assertThat(order).containsExactlyInAnyOrderElementsOf(indexes);
        assertThat(order).extracting(i -> indexCosts.priority(table, i)).isSortedAccordingTo(Comparator.reverseOrder());
        if (!known) {
            assertThat(order).as("unknown costs: the table's size for each, the catalog's order kept")
                    .isEqualTo(indexes);
        }
    }

    private static SourceTable table(long bytes) {
        return new SourceTable(1, new QualifiedName("public", "t"), bytes, -1, List.of(), false);
    }
}
