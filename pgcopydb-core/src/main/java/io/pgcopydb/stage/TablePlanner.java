package io.pgcopydb.stage;

import io.pgcopydb.internal.Wiring;
import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.model.SourceCatalog;

/**
 * Orders (and may split) the tables to copy.
 *
 * <p>Called once per run, on the engine's main thread. The plan must contain every catalog table whose rows
 * are to be copied, each in one or more parts, and nothing else.
 */
@FunctionalInterface
public interface TablePlanner {

    /** Builds the plan from the catalog read in the snapshot. */
    CopyPlan plan(SourceCatalog catalog, StageContext context);

    /** Whole tables, largest (heap + TOAST bytes) first, ties broken by name. */
    static TablePlanner standard() {
        return Wiring.tablePlanner();
    }
}
