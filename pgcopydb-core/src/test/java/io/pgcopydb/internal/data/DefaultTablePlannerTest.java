package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class DefaultTablePlannerTest {

    @Provide
    Arbitrary<SourceCatalog> catalogs() {
        return Arbitraries.longs().between(0, 1L << 40).list().ofMaxSize(60).map(sizes -> {
            List<SourceTable> tables = IntStream.range(0, sizes.size())
                    .mapToObj(i -> new SourceTable(16384 + i, new QualifiedName("s" + (i % 3), "t" + i), sizes.get(i),
                            -1, List.of("id"), false))
                    .toList();
            return new SourceCatalog(tables, List.of(), List.of(), 0);
        });
    }

    @Property(tries = 200)
    void everyTableExactlyOnceLargestFirst(@ForAll("catalogs") SourceCatalog catalog) {
        CopyPlan plan = new DefaultTablePlanner().plan(catalog, null);

        assertThat(plan.parts()).extracting(p -> p.table().oid())
                .containsExactlyInAnyOrderElementsOf(catalog.tables().stream().map(SourceTable::oid).toList());
        for (int i = 1; i < plan.parts().size(); i++) {
            assertThat(plan.parts().get(i - 1).table().bytes()).isGreaterThanOrEqualTo(plan.parts().get(i).table().bytes());
        }
        PlanCheck.verify(plan, catalog);
    }

    @Property(tries = 100)
    void planCheckRejectsAPlanThatLosesATable(@ForAll("catalogs") SourceCatalog catalog) {
        net.jqwik.api.Assume.that(!catalog.tables().isEmpty());
        List<TablePart> parts = new ArrayList<>(new DefaultTablePlanner().plan(catalog, null).parts());
        parts.remove(parts.size() - 1);

        assertThatThrownBy(() -> PlanCheck.verify(new CopyPlan(parts), catalog))
                .hasMessageContaining("leaves out");
    }

    /**
     * For any size and threshold: one part per threshold begun, at most the cap — each part under the threshold
     * unless capped, and no fewer parts than that takes.
     */
    @Property(tries = 1000)
    void partsPerThresholdOfHeapAndToast(@ForAll @LongRange(min = 0) long bytes,
            @ForAll @LongRange(min = 0) long threshold, @ForAll @IntRange(min = 1, max = 256) int maxParts) {
        int wanted = DefaultTablePlanner.partsWanted(bytes, threshold, maxParts);

        assertThat(wanted).isBetween(1, maxParts);
        java.math.BigInteger size = java.math.BigInteger.valueOf(bytes);
        java.math.BigInteger each = java.math.BigInteger.valueOf(threshold);
        if (threshold == 0) {
            assertThat(wanted).as("0 never splits").isOne();
        } else if (wanted < maxParts) {
            assertThat(size).as("each part at most the threshold")
                    .isLessThanOrEqualTo(each.multiply(java.math.BigInteger.valueOf(wanted)));
            if (wanted > 1) {
                assertThat(size).as("no more parts than needed")
                        .isGreaterThan(each.multiply(java.math.BigInteger.valueOf(wanted - 1)));
            }
        }
    }

    /** A replaced planner that splits one table two ways is refused: a redone part follows its table's rule. */
    @net.jqwik.api.Example
    void planCheckRejectsATableSplitTwoWays() {
        SourceTable t = new SourceTable(16384, new QualifiedName("public", "t"), 1L << 30, -1, List.of("id"), false);
        SourceCatalog catalog = new SourceCatalog(List.of(t), List.of(), List.of(), 0);
        CopyPlan mixed = new CopyPlan(List.of(new TablePart(t, 1, 2, java.util.Optional.of("id < 5")),
                new TablePart(t, 2, 2, java.util.Optional.of("ctid >= '(5,0)'::tid"), TablePart.Split.BY_PAGE)));

        assertThatThrownBy(() -> PlanCheck.verify(mixed, catalog)).hasMessageContaining("disagree");
    }

    /**
     * The planner's key parts are the model's ranges ({@link PartRangeTest} proves they cover every value and NULL
     * once), numbered in order, split by value; the same for page parts, split by page.
     */
    @Property(tries = 500)
    void splitPartsAreTheRangesOfTheModel(@ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long min,
            @ForAll @LongRange(min = 0, max = 2_000_000_000L) long width, @ForAll @IntRange(min = 2, max = 64) int wanted) {
        SourceTable t = new SourceTable(16384, new QualifiedName("public", "t"), 1L << 30, -1, List.of("id"), false);

        List<TablePart> byKey = DefaultTablePlanner.rangeParts(t, "id", min, min + width, wanted);
        List<TablePart> byPage = DefaultTablePlanner.pageParts(t, width, wanted);

        List<PartRange> keys = PartRange.cut(min, min + width, wanted, true);
        assertThat(byKey).extracting(p -> p.predicate().orElse(null)).containsExactlyElementsOf(keys.size() == 1
                ? java.util.Collections.singletonList(null) : keys.stream().map(r -> r.keyPredicate("\"id\"")).toList());
        assertThat(byKey).allSatisfy(p -> assertThat(p.split()).isEqualTo(byKey.size() == 1 ? TablePart.Split.NONE
                : TablePart.Split.BY_VALUE));
        if (width <= 1) {
            assertThat(byPage).as("a heap of one page is not split").containsExactly(TablePart.whole(t));
        } else {
            List<PartRange> pages = PartRange.cut(0, width - 1, wanted, false);
            assertThat(byPage).extracting(p -> p.predicate().orElseThrow())
                    .containsExactlyElementsOf(pages.stream().map(PartRange::pagePredicate).toList());
            assertThat(byPage).allSatisfy(p -> assertThat(p.split()).isEqualTo(TablePart.Split.BY_PAGE));
        }
        for (List<TablePart> parts : List.of(byKey, byPage)) {
            for (int i = 0; i < parts.size(); i++) {
                assertThat(parts.get(i).number()).isEqualTo(i + 1);
                assertThat(parts.get(i).count()).isEqualTo(parts.size());
            }
        }
    }
}
