package io.pgcopydb.internal.data;

import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.SourceTable;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a {@code CREATE INDEX} may use the target's parallel maintenance workers. While other tables are still
 * being copied, or other index builds could keep the cores busy until this one ends, a parallel build only adds
 * work — its workers sort into temporary files the leader merges again — measured on the benchmark's 1.5 GB copy
 * (2 cores, index jobs 2) as 2–3 s more target CPU over 13 s of index builds. So those builds run with
 * {@code max_parallel_maintenance_workers = 0}.
 *
 * <p>A build that starts once every table is copied, and whose expected cost ({@link IndexCosts}) is more than the
 * expected cost of all the other builds still waiting or running put together, is the end of the longest chain: the
 * others end before it even one after the other, and its last part would run on one core with the others idle
 * (measured: the benchmark's text index built alone for its last 2 s, one of two cores idle). It keeps the server's
 * own setting, and PostgreSQL chooses its workers by the table's size as usual. So does the last build of all,
 * whatever its cost. Thread-safe.
 */
final class IndexWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(IndexWorkers.class);
    static final String SETTING = "max_parallel_maintenance_workers";

    private final Supplier<OptionalLong> tempFileLimit;
    private int tablesCopying;
    /** The builds queued or running, and their expected cost. */
    private int buildsLeft;
    private long outstanding;

    /**
     * For a data step of {@code tables} tables, none of them copied yet, on a target whose {@code temp_file_limit}
     * {@link IndexSortMemory#tempFileLimit} gives (asked for when a big table's build first needs it).
     */
    IndexWorkers(int tables, Supplier<OptionalLong> tempFileLimit) {
        this.tablesCopying = tables;
        this.tempFileLimit = tempFileLimit;
    }

    /** A table's copy ended (done, failed or skipped), and builds of these expected {@code costs} were queued. */
    synchronized void copied(long... costs) {
        for (long cost : costs) {
            outstanding += cost;
        }
        buildsLeft += costs.length;
        tablesCopying--;
    }

    /** {@code build}, of expected {@code cost}, counted as ended when it returns or throws (built, skipped, failed). */
    <T> Supplier<T> counted(long cost, Supplier<T> build) {
        return () -> {
            try {
                return build.get();
            } finally {
                ended(cost);
            }
        };
    }

    private synchronized void ended(long cost) {
        outstanding -= cost;
        buildsLeft--;
    }

    /**
     * Whether the build of expected {@code cost} about to start may use parallel workers: no table is left to copy,
     * and it is the only build left or costs more than all the other builds queued or running together.
     */
    synchronized boolean parallel(long cost) {
        return tablesCopying <= 0 && (buildsLeft <= 1 || cost > outstanding - cost);
    }

    /**
     * The context the build of {@code index} on {@code table}, of expected {@code cost}, starting now gets:
     * {@code context} itself when {@link #parallel}; else no parallel workers, and for a B-tree on a table of
     * 64 MB or more, unless a {@code maintenance_work_mem} was asked for, the memory {@link IndexSortMemory} sizes.
     */
    RunContext contextFor(RunContext context, long cost, IndexDefinition index, SourceTable table) {
        if (parallel(cost)) {
            return context;
        }
        RunContext serial = context.withTargetSetting(SETTING, "0");
        if (!IndexSortMemory.applies(context.options(), table) || !IndexSortMemory.sorts(index)
                || !IndexSortMemory.maySpill(tempFileLimit.get())) {
            return serial;
        }
        long kb = IndexSortMemory.kilobytes(table.bytes());
        LOG.debug("{}: built with maintenance_work_mem = {}kB (serial B-tree build, table of {} bytes)",
                index.name(), kb, table.bytes());
        return serial.withTargetSetting("maintenance_work_mem", kb + "kB");
    }
}
