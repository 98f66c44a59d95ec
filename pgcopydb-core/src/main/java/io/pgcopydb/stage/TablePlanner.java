package io.pgcopydb.stage;

import io.pgcopydb.internal.Wiring;
import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.model.SourceCatalog;

/**
 * Orders (and may split) the tables to copy.
 *
 * <p>Called once per run, on the engine's main thread. The plan must contain every catalog table whose rows
 * are to be copied, each in one or more parts, and nothing else. How a table is cut ({@link
 * io.pgcopydb.model.TablePart#split()}) decides how a part that may have committed is done again: a part split by
 * value alone, after deleting what its predicate selects on the target; a table split by page whole.
 */
@FunctionalInterface
public interface TablePlanner {

    /** Builds the plan from the catalog read in the snapshot. */
    CopyPlan plan(SourceCatalog catalog, StageContext context);

    /**
     * Tables largest (heap + TOAST bytes) first, ties broken by name; those over
     * {@link StageContext#splitTablesLargerThan()} split by ranges of their integer key ({@link
     * io.pgcopydb.model.TablePart.Split#BY_VALUE}), else of their pages ({@link
     * io.pgcopydb.model.TablePart.Split#BY_PAGE}, from PostgreSQL 14 sources, unless {@link
     * StageContext#splitByCtid()} is false).
     */
    static TablePlanner standard() {
        return Wiring.tablePlanner();
    }
}
