package io.pgcopydb.internal;

import io.pgcopydb.stage.CopyPlan;
import io.pgcopydb.stage.SourceCatalog;
import io.pgcopydb.stage.SourceTable;
import io.pgcopydb.stage.StageContext;
import io.pgcopydb.stage.TablePart;
import io.pgcopydb.stage.TablePlanner;
import java.util.Comparator;

/** Whole tables, largest first: the longest copies start first, so the run ends sooner. */
final class DefaultTablePlanner implements TablePlanner {
    static final Comparator<SourceTable> LARGEST_FIRST = Comparator.comparingLong(SourceTable::bytes).reversed()
            .thenComparing(SourceTable::name);

    @Override
    public CopyPlan plan(SourceCatalog catalog, StageContext context) {
        return new CopyPlan(catalog.tables().stream().sorted(LARGEST_FIRST).map(TablePart::whole).toList());
    }
}
