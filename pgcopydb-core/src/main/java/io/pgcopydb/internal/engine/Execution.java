package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyExecution;
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
        run.control().cancel("the copy was cancelled");
    }

    @Override
    public CopyReport await() {
        CopyReport r;
        try {
            r = done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgCopyException(ErrorCode.CANCELLED, "interrupted while waiting for the copy " + run.id());
        } catch (ExecutionException e) {
            throw PgCopyException.builder(ErrorCode.INTERNAL, "the copy crashed: " + e.getCause())
                    .cause(e.getCause()).build();
        }
        if (failure != null) {
            throw failure;
        }
        return r;
    }

    @Override
    public Optional<CopyReport> await(Duration timeout) {
        try {
            return Optional.of(done.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public boolean isDone() {
        return done.isDone();
    }
}
