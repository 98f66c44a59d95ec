package io.pgcopydb.internal.data;

import io.pgcopydb.CopyListener;
import io.pgcopydb.Phase;
import io.pgcopydb.SkipReason;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.state.JournalEntry.Kind;
import io.pgcopydb.internal.state.JournalEntry.TableVacuumed;
import io.pgcopydb.model.SourceTable;
import java.sql.Connection;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last unit of a table in the data step: {@code VACUUM (ANALYZE)} or {@code ANALYZE} alone
 * ({@link TableMaintenance}), skipped when the journal has it, journaled when done. Used by {@link DataPhase}'s
 * vacuum jobs; thread-safe.
 */
final class TableVacuum {
    private static final Logger LOG = LoggerFactory.getLogger(TableVacuum.class);

    private final RunContext context;
    private final CopyListener listener;
    private final BiConsumer<String, Throwable> failure;

    /** Vacuums in the run of {@code context}; {@code failure} records a failed one (DataPhase's rule). */
    TableVacuum(RunContext context, BiConsumer<String, Throwable> failure) {
        this.context = context;
        this.listener = context.run().listener();
        this.failure = failure;
    }

    /**
     * Vacuums {@code table} when {@code ready}, else announces it skipped for {@code reason}.
     *
     * @return {@code ready}
     */
    boolean vacuumOrSkip(SourceTable table, boolean copiedWhole, boolean ready, Supplier<SkipReason> reason) {
        if (ready) {
            vacuum(table, copiedWhole);
        } else {
            listener.vacuumSkipped(table.name(), reason.get());
        }
        return ready;
    }

    /** Vacuums {@code table}; {@code copiedWhole} says whether COPY FREEZE may have left it all-visible. */
    void vacuum(SourceTable table, boolean copiedWhole) {
        if (context.isStopping()) {
            listener.vacuumSkipped(table.name(), context.isCancelled() ? SkipReason.CANCELLED : SkipReason.RUN_STOPPED);
            return;
        }
        if (context.journal().isFinished(Kind.VACUUM, table.oid())) {
            listener.vacuumSkipped(table.name(), SkipReason.ALREADY_DONE);
            return;
        }
        listener.vacuumStarted(table.name());
        long start = System.nanoTime();
        try {
            String done = context.run().retrier().call(Phase.COPY_DATA, "VACUUM ANALYZE " + table.name(), attempt -> {
                try (Connection target = context.openTarget()) {
                    return TableMaintenance.run(target, table, copiedWhole);
                }
            });
            LOG.debug("{}: {}", table.name(), done);
            Duration d = Duration.ofNanos(System.nanoTime() - start);
            context.journal().record(new TableVacuumed(table.oid(), table.name().toString()));
            context.run().report().vacuumed(table.oid(), d);
            listener.vacuumFinished(table.name(), d);
        } catch (Throwable e) {
            if (context.isCancelled()) {
                listener.vacuumSkipped(table.name(), SkipReason.CANCELLED);
            } else {
                failure.accept("VACUUM ANALYZE " + table.name(), e);
                listener.vacuumFailed(table.name(), e);
            }
        }
    }
}
