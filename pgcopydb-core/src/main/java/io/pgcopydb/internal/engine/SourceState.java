package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.PlannedCopy;
import io.pgcopydb.internal.catalog.CatalogReader;
import io.pgcopydb.internal.catalog.SnapshotHolder;
import io.pgcopydb.internal.data.PlanCheck;
import io.pgcopydb.internal.filter.FilterPlan;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.schema.DatabaseProperties;
import io.pgcopydb.internal.schema.DatabaseSettings;
import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.model.SourceTable;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What step 2 read from the source, all inside one snapshot: the catalog (restricted by the filter), the
 * resolved filter, the database's settings and the plan. Holds the snapshot open until
 * {@link #releaseSnapshot()} or {@link #close()}.
 *
 * @param snapshot the session holding the snapshot
 * @param context the run's context, its source connections importing the snapshot
 * @param catalog what to copy
 * @param filter the resolved filter; empty when the copy has none
 * @param settings {@code ALTER DATABASE … SET} and {@code ALTER ROLE … IN DATABASE … SET} of the source, applied at
 *     the very end; empty with {@code skipDbProperties}
 * @param database the source database's comment and privileges, made the target's at the very end
 * @param plan the table parts in the order the copy jobs take them
 */
record SourceState(SnapshotHolder snapshot, RunContext context, SourceCatalog catalog, Optional<FilterPlan> filter,
        List<DatabaseSettings.Setting> settings, DatabaseProperties.Source database, CopyPlan plan)
        implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SourceState.class);

    /**
     * Opens the snapshot and reads everything the copy needs in it; the snapshot is released on failure.
     * {@code snapshotOpen} is told the context in the snapshot as soon as it is open (step 3 starts its dump).
     */
    static SourceState read(RunContext context, Consumer<RunContext> snapshotOpen) throws Exception {
        CopyOptions options = context.options();
        SnapshotHolder snapshot = SnapshotHolder.open(context);
        try {
            RunContext inSnapshot = snapshot.snapshotId().map(context::withSnapshot).orElse(context);
            snapshotOpen.accept(inSnapshot);
            SourceCatalog full = CatalogReader.read(snapshot.connection());
            // Inside the snapshot, before anything is written: a filter that cannot be applied stops here.
            Optional<FilterPlan> filter = options.filters().isEmpty() ? Optional.empty()
                    : Optional.of(FilterPlan.resolve(snapshot.connection(), options.filters(),
                            options.foreignKeysNotValid()));
            filter.ifPresent(f -> f.selection().warnings().forEach(w -> context.warn("filter: " + w.message())));
            SourceCatalog catalog = filter.map(f -> f.restrict(full)).orElse(full);
            List<DatabaseSettings.Setting> settings = options.skipDbProperties() ? List.of()
                    : DatabaseSettings.read(inSnapshot);
            // The database's custom settings apply at the end, but CHECKs and triggers may read them during the load.
            inSnapshot = inSnapshot.withTargetSettings(DatabaseSettings.sessionSettings(settings));
            DatabaseProperties.Source database = DatabaseProperties.read(inSnapshot);
            CopyPlan plan = options.tablePlanner().plan(catalog, inSnapshot);
            PlanCheck.verify(plan, catalog);
            context.run().report().planned(plan, catalog);
            LOG.info("Fetched information for {} tables, {} indexes, {} sequences, {} large objects",
                    catalog.tables().size(), catalog.indexes().size(), catalog.sequences().size(),
                    catalog.largeObjects());
            return new SourceState(snapshot, inSnapshot, catalog, filter, settings, database, plan);
        } catch (Exception | Error e) {
            snapshot.close();
            throw e;
        }
    }

    /** Every unit of work of the run, and its totals: what {@code CopyListener.copyPlanned} announces. */
    PlannedCopy planned() {
        CopyOptions options = context.options();
        List<QualifiedName> vacuums = options.skipVacuum() ? List.of()
                : plan.tables().stream().map(SourceTable::name).toList();
        return new PlannedCopy(plan.parts(), catalog.schemaOnlyTables(),
                catalog.indexes().stream().filter(IndexDefinition::builtSeparately).toList(),
                catalog.indexes().stream().flatMap(i -> i.constraint().stream()).toList(), vacuums,
                catalog.sequences().size(), options.skipLargeObjects() || options.filters().leavesOutLargeObjects() ? 0
                        : catalog.largeObjects(),
                catalog.postDataIndexes());
    }

    /** Ends the snapshot transaction once nothing reads in it any more. */
    void releaseSnapshot() {
        snapshot.release();
    }

    /** Ends the snapshot transaction now, unless a later step ({@code verify()}) still reads in it. */
    void releaseSnapshotUnless(boolean stillNeeded) {
        if (!stillNeeded) {
            snapshot.release();
        }
    }

    @Override
    public void close() {
        snapshot.release();
    }
}
