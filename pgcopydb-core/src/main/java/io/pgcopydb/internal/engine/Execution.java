package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyExecution;
import io.pgcopydb.CopyProgress;
import io.pgcopydb.CopyReport;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.internal.run.Run;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The caller's handle on a running copy: cancel it, wait for it. Completed once by the {@link CopyEngine}. */
final class Execution implements CopyExecution {
    private final Run run;
    private final CompletableFuture<CopyReport> done = new CompletableFuture<>();
    private volatile PgCopyException failure;

    Execution(Run run) {
        this.run = run;
    }

    /** The run ended with {@code report}; {@code failure} is what {@link #await()} throws, null on success. */
    void complete(CopyReport report, PgCopyException failure) {
        this.failure = failure;
        done.complete(report);
    }

    @Override
    public String runId() {
        return run.id();
    }

    @Override
    public void cancel() {
        if (!done.isDone()) {
            run.control().cancel("the copy was cancelled");
        }
    }

    @Override
    public CopyReport await() {
        try {
            return outcome(done.get());
        } catch (InterruptedException e) {
            return afterInterrupt();
        } catch (ExecutionException e) {
            throw crashed(e);
        }
    }

    @Override
    public Optional<CopyReport> await(Duration timeout) {
        try {
            return Optional.of(outcome(done.get(timeout.toMillis(), TimeUnit.MILLISECONDS)));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            return Optional.of(afterInterrupt());
        } catch (ExecutionException e) {
            throw crashed(e);
        }
    }

    @Override
    public CopyProgress progress() {
        return run.progress();
    }

    @Override
    public boolean isDone() {
        return done.isDone();
    }

    @Override
    public void close() {
        if (!done.isDone()) {
            run.control().cancel("the copy was cancelled: its handle was closed before it ended");
            waitForStop();
        }
    }

    private CopyReport outcome(CopyReport report) {
        if (failure != null) {
            throw failure;
        }
        return report;
    }

    /**
     * The waiting thread was interrupted: the caller is going away, so the copy must not go on without it.
     * Cancels the run, waits for it to stop (within the bound) and restores the interrupt status; then the run's
     * own outcome: its CANCELLED exception with the report (or its report, if it had just finished).
     */
    private CopyReport afterInterrupt() {
        run.control().cancel("the copy was cancelled: the thread waiting for it was interrupted");
        boolean stopped = waitForStop();
        Thread.currentThread().interrupt();
        if (!stopped) {
            throw PgCopyException.builder(ErrorCode.CANCELLED, "the thread waiting for the copy " + run.id()
                    + " was interrupted and the copy was cancelled, but it had not stopped after "
                    + STOP_BOUND.toSeconds() + " s").build();
        }
        return outcome(done.join());
    }

    /** Waits up to the bound for the run to end, whatever interrupts arrive meanwhile; true when it ended. */
    private boolean waitForStop() {
        long deadline = System.nanoTime() + STOP_BOUND.toNanos();
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return done.isDone();
                }
                try {
                    done.get(left, TimeUnit.NANOSECONDS);
                    return true;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return true;
                } catch (TimeoutException e) {
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static PgCopyException crashed(ExecutionException e) {
        return PgCopyException.builder(ErrorCode.INTERNAL, "the copy crashed: " + e.getCause())
                .cause(e.getCause()).build();
    }
}
