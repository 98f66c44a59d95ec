package io.pgcopydb.internal.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.filter.Filters;
import io.pgcopydb.internal.catalog.CatalogGraph;
import io.pgcopydb.internal.filter.FilterScopeTest.Catalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which entries of pg_restore's lists a resolved filter comments out, composite entries (no OID) included. */
class FilterPlanTest {

    private static FilterPlan plan(Catalog c, Filters filters) {
        CatalogGraph graph = c.graph();
        return new FilterPlan(graph, new FilterScope(filters, false).resolve(graph), Map.of(), Map.of(),
                Map.of(), List.of());
    }

    private static List<String> commented(FilterPlan plan, List<String> toc) {
        return plan.apply(toc).stream().filter(l -> l.startsWith(";")).map(l -> l.substring(1)).toList();
    }

    @Test
    void anExcludedTableTakesItsCommentsGrantsAttachAndOwnedSequenceAlong() {
        Catalog c = new Catalog();
        long parent = c.partitioned("public.payment");
        long p7 = c.partition("public.payment_p7", parent);
        long notes = c.table("public.notes");
        long seq = c.serial("public.notes_id_seq", notes);
        long keep = c.table("public.keep");
        FilterPlan plan = plan(c, Filters.none().excludeTable("public.notes", "public.payment_p7"));
        List<String> toc = List.of(
                "1; 1259 " + notes + " TABLE public notes postgres",
                "2; 0 0 COMMENT public TABLE notes postgres",
                "3; 0 0 COMMENT public COLUMN notes.body postgres",
                "4; 0 0 ACL public TABLE notes postgres",
                "5; 1259 " + seq + " SEQUENCE public notes_id_seq postgres",
                "6; 0 0 SEQUENCE OWNED BY public notes_id_seq postgres",
                "7; 1259 " + p7 + " TABLE public payment_p7 postgres",
                "8; 0 0 TABLE ATTACH public payment_p7 postgres",
                "9; 1259 " + keep + " TABLE public keep postgres",
                "10; 0 0 COMMENT public TABLE keep postgres",
                "11; 0 0 ACL public TABLE notes_archive postgres",
                "12; 2615 2200 SCHEMA - public postgres");

        assertThat(commented(plan, toc)).extracting(l -> l.substring(0, l.indexOf(';')))
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
    }

    @Test
    void anExcludedSchemaTakesEverythingInItButKeptSequencesAlong() {
        Catalog c = new Catalog();
        long t = c.table("public.t");
        long seq = c.sequence("audit.shared_seq");
        c.useDefault(t, seq);
        long log = c.table("audit.log");
        FilterPlan plan = plan(c, Filters.none().excludeSchema("audit"));
        List<String> toc = List.of(
                "1; 2615 " + c.schemas.stream().filter(n -> n.name().equals("audit")).findFirst().get().oid()
                        + " SCHEMA - audit postgres",
                "2; 1259 " + log + " TABLE audit log postgres",
                "3; 1255 99999 FUNCTION audit f() postgres",
                "4; 1259 " + seq + " SEQUENCE audit shared_seq postgres",
                "5; 0 0 ACL audit SEQUENCE shared_seq postgres",
                "6; 0 0 COMMENT - SCHEMA audit postgres",
                "7; 1259 " + t + " TABLE public t postgres");

        // The schema holds a sequence a kept table uses, so it is created, with only that sequence.
        assertThat(commented(plan, toc)).extracting(l -> l.substring(0, l.indexOf(';')))
                .containsExactly("2", "3");
    }

    @Test
    void matviewDataAndExcludedIndexes() {
        Catalog c = new Catalog();
        long t = c.table("public.t");
        long mv = c.matview("public.mv", t);
        long mv2 = c.matview("public.mv2", t);
        long idx = c.index("public.t_idx", t);
        long idx2 = c.index("public.t_idx2", t);
        FilterPlan plan = plan(c, Filters.none().excludeTableData("public.mv").excludeIndex("public.t_idx"));
        List<String> toc = List.of(
                "1; 0 " + mv + " MATERIALIZED VIEW DATA public mv postgres",
                "2; 0 " + mv2 + " MATERIALIZED VIEW DATA public mv2 postgres",
                "3; 1259 " + idx + " INDEX public t_idx postgres",
                "4; 0 0 COMMENT public INDEX t_idx postgres",
                "5; 1259 " + idx2 + " INDEX public t_idx2 postgres");

        assertThat(commented(plan, toc)).extracting(l -> l.substring(0, l.indexOf(';')))
                .containsExactly("1", "3", "4");
        assertThat(plan.selection().indexesToBuild()).containsExactly(idx2);
    }

    /** pg_restore --list --verbose: entries without OIDs follow what they depend on, whatever their name says. */
    @Test
    void entriesWithoutOidsFollowTheEntriesTheyDependOn() {
        Catalog c = new Catalog();
        long notes = c.table("public.notes");
        long keep = c.table("public.keep");
        FilterPlan plan = plan(c, Filters.none().excludeTable("public.notes"));
        List<String> toc = List.of(
                "1; 1259 " + notes + " TABLE public notes postgres",
                "2; 1259 " + keep + " TABLE public keep postgres",
                "3; 0 0 COMMENT public FUNCTION odd(public.notes) postgres",
                ";\tdepends on: 1",
                "4; 0 0 ACL public FUNCTION odd(public.notes) postgres",
                ";\tdepends on: 3",
                "5; 0 0 COMMENT public TABLE keep postgres",
                ";\tdepends on: 2",
                ";6; 0 0 COMMENT public FUNCTION other(public.keep) postgres",
                ";\tdepends on: 1");

        assertThat(FilterPlan.dependencies(toc)).containsEntry(3, List.of(1)).containsEntry(4, List.of(3))
                .containsEntry(5, List.of(2)).containsEntry(6, List.of(1));
        assertThat(commented(plan, toc)).filteredOn(l -> l.matches("^\\d+;.*"))
                .extracting(l -> l.substring(0, l.indexOf(';'))).as("6 was commented out before: it stays so")
                .containsExactly("1", "3", "4", "6");
    }
}
