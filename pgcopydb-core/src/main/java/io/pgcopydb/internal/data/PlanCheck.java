package io.pgcopydb.internal.data;

import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a plan from a (possibly replaced) {@link io.pgcopydb.stage.TablePlanner}: every catalog table in it,
 * nothing else, each table's parts numbered 1..n exactly once and split the same way. A bad plan would silently
 * lose rows.
 */
public final class PlanCheck {
    private PlanCheck() {
    }

    public static void verify(CopyPlan plan, SourceCatalog catalog) {
        Set<Long> catalogTables = new HashSet<>();
        catalog.tables().forEach(t -> catalogTables.add(t.oid()));
        Map<Long, Set<Integer>> seen = new HashMap<>();
        for (TablePart p : plan.parts()) {
            SourceTable t = p.table();
            if (!catalogTables.contains(t.oid())) {
                throw new IllegalStateException("the plan copies " + t.name() + ", which is not a source table");
            }
            if (!seen.computeIfAbsent(t.oid(), k -> new HashSet<>()).add(p.number())) {
                throw new IllegalStateException("the plan has part " + p.number() + " of " + t.name() + " twice");
            }
        }
        for (SourceTable t : catalog.tables()) {
            Set<Integer> parts = seen.get(t.oid());
            if (parts == null) {
                throw new IllegalStateException("the plan leaves out " + t.name());
            }
            List<TablePart> ofTable = plan.parts().stream().filter(p -> p.table().oid() == t.oid()).toList();
            int count = ofTable.get(0).count();
            if (ofTable.stream().anyMatch(p -> p.count() != count || p.split() != ofTable.get(0).split())) {
                // A resumed or retried part is redone by its split's rule: one table, one rule.
                throw new IllegalStateException("the parts of " + t.name() + " disagree on their count or split");
            }
            if (parts.size() != count) {
                throw new IllegalStateException("the plan has " + parts.size() + " of the " + count + " parts of "
                        + t.name());
            }
        }
    }
}
