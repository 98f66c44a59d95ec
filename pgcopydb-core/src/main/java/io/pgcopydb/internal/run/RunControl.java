package io.pgcopydb.internal.run;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.ToolRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
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
    private final AtomicReference<Cause> cause = new AtomicReference<>();
    private final AtomicReference<String> lostSnapshot = new AtomicReference<>();

    /** No new work is scheduled; work in flight finishes. */
    public void stopScheduling() {
        stopping.set(true);
        stopped.countDown();
    }

    /**
     * Stops scheduling, aborts every open connection (their COPYs end on both servers) and kills child tools.
     * {@code reason} says why in the run's failure ({@link ErrorCode#CANCELLED}); the first reason given is kept.
     * Idempotent.
     */
    public void cancel(String reason) {
        cancel(ErrorCode.CANCELLED, reason);
    }

    /**
     * Cancels the run because it did not finish within {@code limit}, its {@code timeout(d)}: as
     * {@link #cancel(String)}, the failure saying {@link ErrorCode#TIMED_OUT}.
     *
     * @return the one line saying so
     */
    public String timeOut(Duration limit) {
        String reason = "the copy timed out after " + describe(limit);
        cancel(ErrorCode.TIMED_OUT, reason);
        return reason;
    }

    /** Why the run was cancelled, {@link ErrorCode#CANCELLED} or {@link ErrorCode#TIMED_OUT}, in one line. */
    private record Cause(ErrorCode code, String reason) {
    }

    private void cancel(ErrorCode code, String reason) {
        cause.compareAndSet(null, new Cause(code, reason));
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

    /** Why the run was cancelled, as the first {@link #cancel(String)} or {@link #timeOut} said. */
    public String cancelReason() {
        Cause c = cause.get();
        return c == null ? "the copy was cancelled" : c.reason();
    }

    /** {@link ErrorCode#TIMED_OUT} when the run was cancelled by its time limit, else {@link ErrorCode#CANCELLED}. */
    public ErrorCode cancelCode() {
        Cause c = cause.get();
        return c == null ? ErrorCode.CANCELLED : c.code();
    }

    /** A worker found the run's exported snapshot {@code snapshotId} gone; the first one is kept. */
    public void snapshotLost(String snapshotId) {
        lostSnapshot.compareAndSet(null, snapshotId);
    }

    /** The exported snapshot the run lost, if it lost it. */
    public Optional<String> lostSnapshot() {
        return Optional.ofNullable(lostSnapshot.get());
    }

    /** {@code 90 s}, {@code 1.5 s}, {@code 30 min}, {@code 2 h}: a time limit as people write it. */
    static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms >= 3_600_000 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + " h";
        }
        if (ms >= 600_000 && ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        return java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + " s";
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
