package io.pgcopydb.internal.run;

import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.ToolRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The switches of one run and what they act on: the connections the run opened and the client tools it runs.
 * {@link #stopScheduling()} after a failure lets work in flight finish; {@link #cancel(String)} also aborts every open
 * connection and kills the tools. Thread-safe; shared by every {@link RunContext} of the run.
 */
public final class RunControl {
    private final ToolRunner tools = new ToolRunner();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<String> cancelReason = new AtomicReference<>();

    /** No new work is scheduled; work in flight finishes. */
    public void stopScheduling() {
        stopping.set(true);
        stopped.countDown();
    }

    /**
     * Stops scheduling, aborts every open connection (their COPYs end on both servers) and kills child tools.
     * {@code reason} says why in the run's failure; the first reason given is kept. Idempotent.
     */
    public void cancel(String reason) {
        cancelReason.compareAndSet(null, reason);
        cancelled.set(true);
        stopScheduling();
        tools.killAll();
        Executor direct = Runnable::run;
        for (Connection c : new ArrayList<>(open)) {
            try {
                c.abort(direct);
            } catch (SQLException | RuntimeException e) {
                // already closed or broken: either way it no longer works for us
            }
        }
    }

    /** Whether the run stops scheduling work (a failure without continueOnError, or a cancellation). */
    public boolean isStopping() {
        return stopping.get();
    }

    /** Whether the run was cancelled (or timed out). */
    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Why the run was cancelled, as the first {@link #cancel(String)} said. */
    public String cancelReason() {
        String reason = cancelReason.get();
        return reason == null ? "the copy was cancelled" : reason;
    }

    /**
     * Waits {@code delay}, or less when the run starts stopping.
     *
     * @return whether the whole delay passed (false: the run is stopping, or the thread was interrupted)
     */
    public boolean pause(Duration delay) {
        try {
            return !stopped.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The runner of the run's client tools, killed on cancellation. */
    ToolRunner tools() {
        return tools;
    }

    /** Remembers {@code c} so a cancellation can abort it; refuses it when the run is already cancelled. */
    Connection track(Connection c) {
        if (open.size() > 64) {
            open.removeIf(RunControl::isClosed);
        }
        open.add(c);
        if (cancelled.get()) {
            // cancel() may have swept the open connections just before this one was added
            Sessions.closeQuietly(c, null);
            throw new IllegalStateException("the copy was cancelled");
        }
        return c;
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
