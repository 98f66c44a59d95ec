package io.pgcopydb;

import java.time.Duration;
import java.util.Optional;

/**
 * A running copy, returned by {@link CopyBuilder#start()}. Thread-safe.
 */
public interface CopyExecution {

    /** The run's id. */
    String runId();

    /**
     * Asks the run to stop: no new work is scheduled, active COPYs are cancelled, child processes killed. Returns
     * at once; {@link #await()} waits for the run to end. Idempotent.
     */
    void cancel();

    /**
     * Waits for the run to end.
     *
     * @return the report of a successful run
     * @throws PgCopyException when the run failed or was cancelled, with the partial report attached
     */
    CopyReport await();

    /**
     * Waits at most {@code timeout} for the run to end.
     *
     * @return the report when the run ended in time (successful or not), empty otherwise
     */
    Optional<CopyReport> await(Duration timeout);

    /** Whether the run has ended. */
    boolean isDone();
}
