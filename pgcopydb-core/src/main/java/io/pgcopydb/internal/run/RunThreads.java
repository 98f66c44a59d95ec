package io.pgcopydb.internal.run;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * The one way a run runs work on other threads: every thread is named after the run and its role
 * ({@code pgcopydb-<run>-copy-3}) and carries the run's MDC; every pool belongs to the run, which shuts it down
 * within {@link #SHUTDOWN_BOUND}. Timers share one daemon thread for the whole JVM ({@code pgcopydb-timer}), so a
 * run never owns a thread that only waits. Thread-safe.
 */
public final class RunThreads implements AutoCloseable {
    /** The MDC key holding the run id, in the log of every thread of the run. */
    public static final String MDC_KEY = "pgcopydb.run";
    /** How long a pool may take to finish its tasks at shutdown before they are interrupted. */
    public static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(30);

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final String runId;
    private final Map<String, String> mdc;
    private final List<ExecutorService> pools = new CopyOnWriteArrayList<>();
    private final List<ScheduledFuture<?>> timers = new CopyOnWriteArrayList<>();

    /** Threads for run {@code runId}, carrying the calling thread's MDC and the run id ({@link #MDC_KEY}). */
    public RunThreads(String runId) {
        this.runId = runId;
        Map<String, String> context = MDC.getCopyOfContextMap();
        this.mdc = context == null ? new HashMap<>() : new HashMap<>(context);
        mdc.put(MDC_KEY, runId);
    }

    /** The name of the run's thread of {@code role}, number {@code n}: {@code pgcopydb-<run>-<role>-<n>}. */
    public String threadName(String role, int n) {
        return "pgcopydb-" + runId + "-" + role + "-" + n;
    }

    /** Starts the run's own (non-daemon) thread {@code pgcopydb-<run>-<role>}: the run lives as long as it. */
    public Thread start(String role, Runnable body) {
        Thread t = new Thread(withMdc(body), "pgcopydb-" + runId + "-" + role);
        t.setDaemon(false);
        t.start();
        return t;
    }

    /** A pool of {@code size} daemon threads {@code pgcopydb-<run>-<role>-N}, shut down by {@link #close()}. */
    public ExecutorService pool(String role, int size) {
        ExecutorService pool = Executors.newFixedThreadPool(size, factory(role));
        pools.add(pool);
        return pool;
    }

    /** As {@link #pool}, but waiting tasks run highest priority first ({@link PriorityPool#supply}). */
    public PriorityPool priorityPool(String role, int size) {
        PriorityPool pool = new PriorityPool(size, factory(role));
        pools.add(pool);
        return pool;
    }

    private ThreadFactory factory(String role) {
        AtomicInteger n = new AtomicInteger();
        return body -> {
            Thread t = new Thread(withMdc(body), threadName(role, n.incrementAndGet()));
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs {@code action} once after {@code delay} on the shared timer thread, unless the run closes first. */
    public void schedule(Duration delay, Runnable action) {
        timers.add(TIMER.schedule(withMdc(action), delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Runs {@code action} every {@code period} on the shared timer thread until the returned handle is closed or
     * the run closes.
     */
    public AutoCloseable every(Duration period, Runnable action) {
        ScheduledFuture<?> f = TIMER.scheduleAtFixedRate(withMdc(action), period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        timers.add(f);
        return () -> f.cancel(false);
    }

    /**
     * Shuts {@code pool} down: no new tasks, the running ones get {@link #SHUTDOWN_BOUND} to finish, then are
     * interrupted.
     */
    public static void shutdown(ExecutorService pool) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(SHUTDOWN_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
        }
    }

    /** Cancels the run's pending timers and shuts down every pool it opened, each within the bound. */
    @Override
    public void close() {
        timers.forEach(t -> t.cancel(false));
        boolean interrupted = false;
        for (ExecutorService pool : pools) {
            try {
                shutdown(pool);
            } catch (InterruptedException e) {
                pool.shutdownNow();
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Runnable withMdc(Runnable body) {
        return () -> {
            MDC.setContextMap(mdc);
            try {
                body.run();
            } finally {
                MDC.clear();
            }
        };
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, body -> {
            Thread t = new Thread(body, "pgcopydb-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
