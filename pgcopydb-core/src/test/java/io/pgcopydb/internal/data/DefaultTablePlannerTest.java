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

    /** Every value of the key, inside the source's [min, max] or not, falls in exactly one part. */
    @Property(tries = 500)
    void splitPartsCoverEveryKeyValueExactlyOnce(@ForAll @net.jqwik.api.constraints.LongRange(min = -1_000_000_000L,
            max = 1_000_000_000L) long min, @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 2_000_000_000L)
            long width, @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 64) int wanted,
            @ForAll @net.jqwik.api.constraints.LongRange(min = -3_000_000_000L, max = 3_000_000_000L) long probe) {
        long max = min + width;
        SourceTable t = new SourceTable(16384, new QualifiedName("public", "t"), 1L << 30, -1, List.of("id"), false);

        List<TablePart> parts = DefaultTablePlanner.rangeParts(t, "id", min, max, wanted);

        assertThat(parts.size()).isBetween(1, wanted);
        assertThat(parts.size()).isLessThanOrEqualTo((int) Math.min(Integer.MAX_VALUE, width + 1));
        for (long v : new long[] {min, max, probe, min - 1, max + 1, min + width / 2}) {
            assertThat(parts.stream().filter(p -> matches(p, v)).count()).as("value %s in %s", v, parts).isOne();
        }
        for (int i = 0; i < parts.size(); i++) {
            assertThat(parts.get(i).number()).isEqualTo(i + 1);
            assertThat(parts.get(i).count()).isEqualTo(parts.size());
        }
    }

    /** Evaluates the planner's predicate forms: {@code "id" < b}, {@code "id" >= a}, {@code "id" >= a AND "id" < b}. */
    private static boolean matches(TablePart part, long v) {
        if (part.predicate().isEmpty()) {
            return true;
        }
        boolean ok = true;
        for (String clause : part.predicate().get().split(" AND ")) {
            String[] f = clause.split(" ");
            long bound = Long.parseLong(f[2]);
            ok &= f[1].equals("<") ? v < bound : v >= bound;
        }
        return ok;
    }
}
