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
 * The run's target sessions, kept open between the units that use one after another: an index build, a constraint,
 * an ANALYZE or a table's COPY each took a connection of its own, 35 for the benchmark's database, each a backend
 * started on the target and 2–3.5 ms of this process's CPU (more before pgjdbc's code is compiled). A session given
 * back whole — open, no transaction in progress, not read-only — waits here for the next unit (at most
 * {@link #MAX_IDLE}), which gets it reset to a new session's state ({@link Sessions#resetTarget}: what
 * {@code DISCARD ALL} resets, then the target's settings); a reset that fails closes it, and a new one is opened.
 * Every connection stays tracked by the run (a cancellation aborts idle ones too); {@link #close()} at the run's
 * end closes the idle ones. Thread-safe.
 */
public final class TargetSessions implements AutoCloseable {
    /** More idle sessions than the run's lanes ever use at once would only hold backends on the target. */
    static final int MAX_IDLE = 8;

    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;
    private int opened;
    private int reused;

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
                count(false);
                return new PooledConnection(c, this::giveBack);
            } catch (SQLException | RuntimeException e) {
                Sessions.closeQuietly(c, null);
            }
        }
        Connection fresh = opener.open();
        count(true);
        return new PooledConnection(fresh, this::giveBack);
    }

    private synchronized Connection poll() {
        return closed ? null : idle.pollFirst();
    }

    private synchronized void count(boolean open) {
        if (open) {
            opened++;
        } else {
            reused++;
        }
    }

    /** Sessions opened, and handed out again after a reset, so far. */
    synchronized int[] counts() {
        return new int[] {opened, reused};
    }

    private void giveBack(Connection c) {
        if (reusable(c)) {
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
     * Whether {@code c} can serve another unit: open, not read-only, and idle (no transaction in progress, none
     * failed); an idle session out of autocommit is put back in it (nothing to commit).
     */
    static boolean reusable(Connection c) {
        try {
            if (c.isClosed() || c.isReadOnly()
                    || c.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
                return false;
            }
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            c.clearWarnings();
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
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
