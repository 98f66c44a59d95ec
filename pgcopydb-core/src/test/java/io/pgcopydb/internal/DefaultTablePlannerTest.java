package io.pgcopydb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.stage.CopyPlan;
import io.pgcopydb.stage.QualifiedName;
import io.pgcopydb.stage.SourceCatalog;
import io.pgcopydb.stage.SourceTable;
import io.pgcopydb.stage.TablePart;
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
}
