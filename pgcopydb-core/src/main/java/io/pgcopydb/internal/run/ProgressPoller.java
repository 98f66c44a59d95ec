package io.pgcopydb.internal.run;

import io.pgcopydb.JobProgress.ServerPhase;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the target's progress views ({@code pg_stat_progress_create_index}, {@code pg_stat_progress_vacuum},
 * {@code pg_stat_progress_analyze}) for the index builds and vacuums that are running, and hands the rows to the
 * {@link ProgressTracker}. It costs nothing when nobody looks: a tick of the shared timer every {@link #EVERY}
 * does nothing unless such a job runs <em>and</em> somebody asked for the progress in the last few seconds; only
 * then one query on one target session of its own, opened at the first poll and closed with the data step.
 * A failed poll is logged at DEBUG and the session opened again at the next: progress never fails a copy.
 */
public final class ProgressPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressPoller.class);
    /** How often the views are read while somebody looks. */
    static final Duration EVERY = Duration.ofSeconds(1);
    private static final String FROM = " p JOIN pg_catalog.pg_class c ON c.oid = p.relid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace";
    private static final String HERE = " WHERE p.datid = (SELECT oid FROM pg_catalog.pg_database"
            + " WHERE datname = pg_catalog.current_database())";
    private static final String INDEXES = "SELECT 'CREATE INDEX', n.nspname, c.relname, p.phase, p.blocks_done,"
            + " p.blocks_total, p.tuples_done, p.tuples_total, coalesce(a.query, '')"
            + " FROM pg_catalog.pg_stat_progress_create_index" + FROM
            + " LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = p.pid" + HERE;
    private static final String VACUUMS = " UNION ALL SELECT 'VACUUM', n.nspname, c.relname, p.phase,"
            + " p.heap_blks_scanned, p.heap_blks_total, 0, 0, '' FROM pg_catalog.pg_stat_progress_vacuum" + FROM + HERE;
    /** From PostgreSQL 13. */
    private static final String ANALYZES = " UNION ALL SELECT 'ANALYZE', n.nspname, c.relname, p.phase,"
            + " p.sample_blks_scanned, p.sample_blks_total, 0, 0, ''"
            + " FROM pg_catalog.pg_stat_progress_analyze" + FROM + HERE;

    /** Opens a target session. */
    public interface Opener {
        /** A new target session. */
        Connection open() throws SQLException;
    }

    private final ProgressTracker tracker;
    private final Opener target;
    private final ExecutorService pool;
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AutoCloseable timer;
    private volatile boolean closed;
    private volatile Connection session;
    private String query;

    ProgressPoller(ProgressTracker tracker, Opener target, RunThreads threads) {
        this.tracker = tracker;
        this.target = target;
        this.pool = threads.pool("progress", 1);
        // The timer thread only looks at two maps; the query runs on the poller's own thread.
        this.timer = threads.every(EVERY, this::tick);
    }

    private void tick() {
        if (!closed && tracker.worthPolling() && polling.compareAndSet(false, true)) {
            try {
                pool.execute(this::poll);
            } catch (RuntimeException e) {
                polling.set(false);
            }
        }
    }

    private void poll() {
        try {
            if (!closed) {
                tracker.server(read());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Reading the target's progress views failed, trying again at the next poll: {}", e.toString());
            closeSession();
        } finally {
            polling.set(false);
        }
    }

    private synchronized Map<String, ServerPhase> read() throws SQLException {
        Connection s = session;
        if (s == null) {
            s = target.open();
            s.setAutoCommit(true);
            query = INDEXES + VACUUMS + (s.getMetaData().getDatabaseMajorVersion() >= 13 ? ANALYZES : "");
            session = s;
        }
        List<IndexDefinition> indexes = tracker.runningIndexes();
        List<QualifiedName> vacuums = tracker.runningVacuums();
        Map<String, ServerPhase> phases = new HashMap<>();
        try (Statement st = s.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                QualifiedName table = new QualifiedName(rs.getString(2), rs.getString(3));
                String command = rs.getString(1);
                long blocksTotal = rs.getLong(6);
                long tuplesTotal = rs.getLong(8);
                // Some index phases count tuples (loading them into the tree), not blocks.
                ServerPhase phase = blocksTotal == 0 && tuplesTotal > 0
                        ? new ServerPhase(command, rs.getString(4), rs.getLong(7), tuplesTotal, "tuples")
                        : new ServerPhase(command, rs.getString(4), rs.getLong(5), blocksTotal, "blocks");
                if (command.equals("CREATE INDEX")) {
                    IndexMatch.find(indexes, table, rs.getString(9))
                            .ifPresent(i -> phases.put(ProgressTracker.indexKey(i), phase));
                } else if (vacuums.contains(table)) {
                    phases.put(ProgressTracker.vacuumKey(table), phase);
                }
            }
        }
        return phases;
    }

    /** Not synchronized: closing from another thread also ends a poll that hangs on a lost server. */
    private void closeSession() {
        Connection s = session;
        session = null;
        if (s != null) {
            Sessions.closeQuietly(s, null);
        }
    }

    /** Stops polling and closes the session. */
    @Override
    public void close() {
        closed = true;
        try {
            timer.close();
        } catch (Exception e) {
            LOG.debug("Stopping the progress timer: {}", e.toString());
        }
        pool.shutdownNow();
        closeSession();
    }
}
