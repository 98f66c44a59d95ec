package io.pgcopydb.cli;

import io.pgcopydb.CopyExecution;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress where standard error is not a terminal (a log file, a pipe, CI): one log line every interval, the
 * snapshot's {@link io.pgcopydb.CopyProgress#line()}, once the plan is known. Thread-safe.
 */
final class PlainProgress implements CancelOnShutdown.Follower {
    private static final Logger LOG = LoggerFactory.getLogger(PlainProgress.class);

    private final ScheduledExecutorService timer;

    private PlainProgress(CopyExecution execution, Duration every) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgcopydb-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            if (!execution.isDone()) {
                ProgressText.plainLine(execution.progress()).ifPresent(line -> LOG.info("Progress: {}", line));
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Logs the progress of {@code execution} every {@code every} until closed. */
    static PlainProgress start(CopyExecution execution, Duration every) {
        return new PlainProgress(execution, every);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
