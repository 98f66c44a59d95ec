package io.pgcopydb.cli;

import io.pgcopydb.CopyBuilder;
import io.pgcopydb.CopyExecution;
import io.pgcopydb.CopyReport;
import io.pgcopydb.PgCopyException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * Makes Ctrl-C (SIGINT, SIGTERM) cancel a running copy instead of leaving COPYs running on both servers.
 *
 * <p>{@link PgCopyDbCommand#main} installs one JVM shutdown hook. When it fires, it calls
 * {@link CopyExecution#cancel()} on every copy started through {@link #run}, waits up to {@link #GRACE} for them
 * to stop, then up to {@link #GRACE} more for the command to clean up and print its one-line reason, which
 * {@code main} signals with {@link #commandFinished()}. The JVM then exits with the status of the signal (130
 * for SIGINT), as shells expect: {@code System.exit} cannot change it once shutdown has begun, and halting
 * would cut short other hooks, such as the testkit's, which stop the demo's servers.
 *
 * <p>Without the hook (in-process use, tests) {@link #run} simply starts and awaits the copy. Thread-safe.
 */
public final class CancelOnShutdown {
    /** How long the hook waits for cancelled copies, and then for the command, to wind down. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private static final Set<CopyExecution> RUNNING = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();
    private static final CountDownLatch COMMAND_FINISHED = new CountDownLatch(1);

    private CancelOnShutdown() {
    }

    /**
     * Starts {@code copy} and waits for it; cancelled if the JVM shuts down meanwhile.
     *
     * @param copy the configured copy to run
     * @return the report of a successful copy
     * @throws io.pgcopydb.PgCopyException when the copy failed or was cancelled
     */
    public static CopyReport run(CopyBuilder copy) {
        return run(copy, execution -> () -> { });
    }

    /**
     * As {@link #run(CopyBuilder)}, with {@code follow} watching the running copy (its progress display) until it
     * ended.
     *
     * @param copy the configured copy to run
     * @param follow starts something following the execution, closed when the copy ended, before this returns
     * @return the report of a successful copy
     * @throws io.pgcopydb.PgCopyException when the copy failed or was cancelled
     */
    public static CopyReport run(CopyBuilder copy, Function<CopyExecution, Follower> follow) {
        CopyExecution execution = copy.start();
        RUNNING.add(execution);
        try (Follower following = follow.apply(execution)) {
            if (SHUTTING_DOWN.get()) {
                // Interrupted between the hook's sweep and this start: nobody else will cancel it.
                execution.cancel();
            }
            return execution.await();
        } finally {
            RUNNING.remove(execution);
        }
    }

    /** Something following a running copy, such as its progress display; closing it throws nothing. */
    public interface Follower extends AutoCloseable {
        /** Stops following. */
        @Override
        void close();
    }

    /**
     * Whether the JVM is shutting down because of a signal (the hook has fired).
     *
     * @return true once the shutdown hook has fired
     */
    public static boolean shuttingDown() {
        return SHUTTING_DOWN.get();
    }

    /** Installs the shutdown hook; called once, by {@code main}. */
    static void installHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(CancelOnShutdown::onShutdown, "pgcopydb-shutdown"));
    }

    /** The command has returned and printed everything; the hook need not wait any longer. */
    static void commandFinished() {
        COMMAND_FINISHED.countDown();
    }

    private static void onShutdown() {
        SHUTTING_DOWN.set(true);
        if (COMMAND_FINISHED.getCount() == 0) {
            return; // a normal System.exit after the command
        }
        for (CopyExecution execution : RUNNING) {
            LoggerFactory.getLogger(CancelOnShutdown.class)
                    .warn("Interrupted: cancelling copy {} (waiting up to {} s)", execution.runId(), GRACE.toSeconds());
            execution.cancel();
        }
        for (CopyExecution execution : RUNNING) {
            try {
                if (execution.await(GRACE).isEmpty()) {
                    LoggerFactory.getLogger(CancelOnShutdown.class)
                            .warn("Copy {} did not stop within {} s", execution.runId(), GRACE.toSeconds());
                }
            } catch (PgCopyException stopped) {
                // It stopped, cancelled: the command's own thread reports how, in its one line.
            }
        }
        try {
            COMMAND_FINISHED.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
