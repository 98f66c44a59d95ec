package io.pgcopydb.internal.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SingleRelationViewsTest {

    @Test
    void aSingleRelationViewOf15ComparesEqualToItsUnqualifiedPrintingOn16() {
        SchemaSnapshot source = new SchemaSnapshot(150010);
        source.add("view public.big_orders", List.of(), Map.of("definition",
                "SELECT orders.id, orders.amount FROM public.orders WHERE (orders.amount > (100)::numeric);"));
        source.add("materialized view public.region_summary", List.of(), Map.of("definition",
                " SELECT measurements.region,\n    count(*) AS readings\n   FROM public.measurements\n"
                        + "  GROUP BY measurements.region;"));
        SchemaSnapshot target = new SchemaSnapshot(160009);
        target.add("view public.big_orders", List.of(), Map.of("definition",
                "SELECT id, amount FROM public.orders WHERE (amount > (100)::numeric);"));
        target.add("materialized view public.region_summary", List.of(), Map.of("definition",
                " SELECT region,\n    count(*) AS readings\n   FROM public.measurements\n  GROUP BY region;"));

        SchemaComparer.Result result = SchemaDiff.diff(SingleRelationViews.comparableWith(source, 160009),
                SingleRelationViews.comparableWith(target, 150010));

        assertThat(result.differences()).isEmpty();
    }

    @Test
    void aRealDifferenceInASingleRelationViewIsStillReported() {
        SchemaSnapshot source = new SchemaSnapshot(140018);
        source.add("view public.v", List.of(), Map.of("definition",
                "SELECT orders.id FROM public.orders WHERE (orders.amount > 100);"));
        SchemaSnapshot target = new SchemaSnapshot(170005);
        target.add("view public.v", List.of(), Map.of("definition", "SELECT id FROM public.orders WHERE (amount > 10);"));

        assertThat(SchemaDiff.diff(SingleRelationViews.comparableWith(source, 170005), target).differences())
                .hasSize(1);
    }

    @Test
    void aliasesAreUnqualifiedAndJoinsOrSubqueriesAreLeftAsRead() {
        assertThat(SingleRelationViews.unqualified("SELECT o.id FROM public.orders o WHERE (o.id > 1);"))
                .isEqualTo("SELECT id FROM public.orders o WHERE (id > 1);");
        assertThat(SingleRelationViews.unqualified("SELECT \"Mixed\".id FROM s.\"Mixed\";"))
                .isEqualTo("SELECT id FROM s.\"Mixed\";");
        String join = "SELECT o.id, c.name FROM (public.orders o JOIN public.customers c ON ((c.id = o.customer_id)));";
        assertThat(SingleRelationViews.unqualified(join)).isEqualTo(join);
        String sub = "SELECT t.id FROM public.t WHERE (t.id IN ( SELECT u.id FROM public.u));";
        assertThat(SingleRelationViews.unqualified(sub)).isEqualTo(sub);
    }

    @Test
    void betweenServersOnTheSameSideOf16NothingChanges() {
        SchemaSnapshot source = new SchemaSnapshot(120022);
        source.add("view public.v", List.of(), Map.of("definition", "SELECT t.id FROM public.t;"));

        assertThat(SingleRelationViews.comparableWith(source, 150010)).isSameAs(source);
        assertThat(SingleRelationViews.comparableWith(source, 0)).isSameAs(source);
    }
}
