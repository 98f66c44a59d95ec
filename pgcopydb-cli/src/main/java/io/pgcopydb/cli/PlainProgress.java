package io.pgcopydb.cli;

import io.pgcopydb.CopyExecution;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Progress where standard error is not a terminal (a log file, a pipe, CI): one log line every interval, the
 * snapshot's {@link io.pgcopydb.CopyProgress#line()}, once the plan is known. Thread-safe.
 */
final class PlainProgress implements CancelOnShutdown.Follower {
    private static final Logger LOG = LoggerFactory.getLogger(PlainProgress.class);
    /** The library's MDC key for the run id ({@code CopyListener}, {@code CopyExecution#runId()}). */
    private static final String RUN_MDC_KEY = "pgcopydb.run";

    private final ScheduledExecutorService timer;

    private PlainProgress(CopyExecution execution, Duration every) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgcopydb-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            // The line belongs to the run: its id in the MDC, as on the run's own threads (the JSON log's run_id).
            MDC.put(RUN_MDC_KEY, execution.runId());
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
