package io.pgcopydb.internal.run;

import io.pgcopydb.internal.postgres.Sessions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * A run's sessions on one side, kept open between the units that use one after another. Each unit took a
 * connection of its own: the benchmark's copy opened 51, each a backend started on a server and 2–3.5 ms of this
 * process's CPU (more before pgjdbc's code is compiled). A session given back in a state the pool's {@link Handback}
 * accepts waits here for the next unit (at most {@link #MAX_IDLE}), which gets it reset ({@link Opener#reset});
 * a reset that fails closes it, and a new one is opened. Every connection stays tracked by the run (a cancellation
 * aborts idle ones too); {@link #close()} at the run's end closes the idle ones. Thread-safe.
 *
 * <ul>
 *   <li>{@link #forTarget()}: a session given back open, not read-only and idle (no transaction in progress) is
 *       handed on, reset to a new session's state ({@code DISCARD ALL}'s resets, then the target's settings);</li>
 *   <li>{@link #forSource()}: a session given back open, still out of autocommit and read-only is rolled back and
 *       handed on, its next transaction importing the run's snapshot.</li>
 * </ul>
 */
public final class SessionPool implements AutoCloseable {
    /** More idle sessions than the run's lanes ever use at once would only hold backends on the server. */
    static final int MAX_IDLE = 8;

    private final Handback handback;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    private SessionPool(Handback handback) {
        this.handback = handback;
    }

    /** Target sessions: handed on when given back idle, in autocommit (put back in it) and not read-only. */
    public static SessionPool forTarget() {
        return new SessionPool(SessionPool::idleTarget);
    }

    /** Source sessions: handed on, rolled back, when given back out of autocommit and read-only. */
    public static SessionPool forSource() {
        return new SessionPool(SessionPool::readOnlySource);
    }

    /** Whether a session given back can serve another unit, having made it ready to (false: it is closed). */
    interface Handback {
        boolean ready(Connection c) throws SQLException;
    }

    /** How to open a new session, and reset one that served before. */
    interface Opener {
        Connection open() throws SQLException;

        void reset(Connection c) throws SQLException;
    }

    /**
     * A session for one unit: an idle one reset by {@code opener}, or a new one. Closing the handle gives the
     * session back.
     */
    Connection acquire(Opener opener) throws SQLException {
        Connection c;
        while ((c = poll()) != null) {
            try {
                opener.reset(c);
                return new PooledConnection(c, this::giveBack);
            } catch (SQLException | RuntimeException e) {
                Sessions.closeQuietly(c, null);
            }
        }
        return new PooledConnection(opener.open(), this::giveBack);
    }

    private synchronized Connection poll() {
        return closed ? null : idle.pollFirst();
    }

    private void giveBack(Connection c) {
        boolean ready;
        try {
            ready = !c.isClosed() && handback.ready(c);
        } catch (SQLException | RuntimeException e) {
            ready = false;
        }
        if (ready) {
            synchronized (this) {
                if (!closed && idle.size() < MAX_IDLE) {
                    idle.addFirst(c);
                    return;
                }
            }
        }
        Sessions.closeQuietly(c, null);
    }

    /**
     * A target session can serve another unit when it is not read-only and idle (no transaction in progress, none
     * failed); one out of autocommit is put back in it (nothing to commit).
     */
    static boolean idleTarget(Connection c) throws SQLException {
        if (c.isReadOnly() || c.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
            return false;
        }
        if (!c.getAutoCommit()) {
            c.setAutoCommit(true);
        }
        c.clearWarnings();
        return true;
    }

    /**
     * A source session can serve another unit when it is still as opened, out of autocommit and read-only: its
     * transaction is rolled back (what the unit did in it, settings included, is undone).
     */
    static boolean readOnlySource(Connection c) throws SQLException {
        if (c.getAutoCommit() || !c.isReadOnly()) {
            return false;
        }
        c.rollback();
        c.clearWarnings();
        return true;
    }

    /** Closes the idle sessions; sessions given back from now on are closed. Idempotent. */
    @Override
    public void close() {
        List<Connection> left;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(idle);
            idle.clear();
        }
        left.forEach(c -> Sessions.closeQuietly(c, null));
    }
}
