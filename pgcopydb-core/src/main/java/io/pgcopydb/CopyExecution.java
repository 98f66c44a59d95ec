package io.pgcopydb;

import java.time.Duration;
import java.util.Optional;

/**
 * A running copy, returned by {@link CopyBuilder#start()}. Thread-safe.
 *
 * <p>Interrupting a thread blocked in {@link #await()} or {@link #await(Duration)} (as
 * {@code ExecutorService.shutdownNow()}, {@code Future.cancel(true)} and framework shutdowns do) <em>cancels the
 * run</em>: the copy never goes on behind a caller that stopped waiting. The waiting thread then waits up to
 * {@link #STOP_BOUND} for the run to stop, gets the {@link ErrorCode#CANCELLED} exception with the partial
 * report, and keeps its interrupt status. {@link #close()} likewise cancels a run that has not ended, so
 * try-with-resources never leaves a copy running.
 */
public interface CopyExecution extends AutoCloseable {

    /** How long a cancelled run may take to stop before {@link #await()} or {@link #close()} give up waiting. */
    Duration STOP_BOUND = Duration.ofSeconds(30);

    /** The run's id, in its thread names and in the log's MDC ({@code pgcopydb.run}). */
    String runId();

    /**
     * Asks the run to stop: no new work is scheduled, active COPYs are cancelled on both servers, child processes
     * killed. Returns at once; {@link #await()} waits for the run to end. Idempotent; does nothing once the run
     * has ended.
     */
    void cancel();

    /**
     * Waits for the run to end.
     *
     * @return the report of a successful run
     * @throws PgCopyException when the run failed or was cancelled (also when this thread was interrupted while
     *     waiting: the run is then cancelled first), with the partial report attached
     */
    CopyReport await();

    /**
     * Waits at most {@code timeout} for the run to end; the run goes on when it has not.
     *
     * @return the report of a successful run, or empty when the run has not ended yet
     * @throws PgCopyException when the run ended failed or cancelled, exactly as {@link #await()} does
     */
    Optional<CopyReport> await(Duration timeout);

    /**
     * How far the run is now: the data against the plan (bytes, rate, ETA), each running job, the units ended of
     * each kind; an immutable snapshot, the figures the command-line tool draws. Cheap — computed from the
     * listener's events when called — so a user interface may call it a few times a second. While index builds or
     * vacuums run and somebody calls this method, the run reads the target's progress views about once a second
     * on one session of its own ({@link JobProgress#server()}); nobody calling, nothing is read. After the run
     * ended, its last state.
     */
    CopyProgress progress();

    /** Whether the run has ended. */
    boolean isDone();

    /**
     * Cancels the run if it has not ended and waits up to {@link #STOP_BOUND} for it to stop. Never throws the
     * run's failure: use {@link #await()} for the outcome.
     */
    @Override
    void close();
}
