package io.pgcopydb.internal.data;

import io.pgcopydb.internal.run.RunContext;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Whether a {@code CREATE INDEX} may use the target's parallel maintenance workers. While other tables are still
 * being copied or other index builds wait or run, the servers' cores are already busy: a parallel build then only
 * adds work — its workers sort into temporary files the leader merges again — measured on the benchmark's 1.5 GB
 * copy (2 cores, index jobs 2) as 2–3 s more target CPU over 13 s of index builds. So those builds run with
 * {@code max_parallel_maintenance_workers = 0}. The last build of the data step — no table left to copy, no other
 * index build waiting or running — is the end of the longest chain with cores falling idle: it keeps the server's
 * own setting, and PostgreSQL chooses its workers by the table's size as usual. Thread-safe.
 */
final class IndexWorkers {
    static final String SETTING = "max_parallel_maintenance_workers";

    private final AtomicInteger tablesCopying;
    private final AtomicInteger indexesLeft = new AtomicInteger();

    /** For a data step of {@code tables} tables, none of them copied yet. */
    IndexWorkers(int tables) {
        this.tablesCopying = new AtomicInteger(tables);
    }

    /** A table's copy ended (done, failed or skipped), and {@code builds} of its index builds were queued. */
    void copied(int builds) {
        indexesLeft.addAndGet(builds);
        tablesCopying.decrementAndGet();
    }

    /** {@code build}, counted as ended when it returns or throws (built, skipped or failed). */
    <T> Supplier<T> counted(Supplier<T> build) {
        return () -> {
            try {
                return build.get();
            } finally {
                indexesLeft.decrementAndGet();
            }
        };
    }

    /** Whether the build about to start is the only work of the data step left (no copy, no other build). */
    boolean alone() {
        return tablesCopying.get() <= 0 && indexesLeft.get() <= 1;
    }

    /** The context a build starting now gets: {@code context} itself when {@link #alone()}, else serial builds. */
    RunContext contextNow(RunContext context) {
        return alone() ? context : context.withTargetSetting(SETTING, "0");
    }
}
