package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceTable;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

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

    private static SourceTable table(long bytes) {
        return new SourceTable(1, new QualifiedName("public", "t"), bytes, -1, List.of(), false);
    }
}
