package io.pgcopydb.internal.follow;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Sessions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While changes are applied: every 2 s reads the origin's progress on a target session of its own and prunes the
 * change log's applied segments; every 10 s logs the lag (bytes received and not yet applied) and the apply rate.
 * Runs on the daemon thread {@code pgcopydb-follow-monitor} until {@link #close()}.
 */
final class FollowMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FollowMonitor.class);
    private static final long PRUNE_MILLIS = 2_000;
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ConnectionSpec target;
    private final String origin;
    private final ChangeLog log;
    private final ChangeReceiver receiver;
    private final Thread thread;
    private volatile boolean closed;

    private FollowMonitor(ConnectionSpec target, String origin, ChangeLog log, ChangeReceiver receiver) {
        this.target = target;
        this.origin = origin;
        this.log = log;
        this.receiver = receiver;
        this.thread = new Thread(this::run, "pgcopydb-follow-monitor");
        thread.setDaemon(true);
    }

    static FollowMonitor start(ConnectionSpec target, String origin, ChangeLog log, ChangeReceiver receiver) {
        FollowMonitor m = new FollowMonitor(target, origin, log, receiver);
        m.thread.start();
        return m;
    }

    private void run() {
        long lastReport = System.nanoTime();
        long lastApplied = -1;
        try (Connection t = Sessions.connect(target, "follow monitor");
                PreparedStatement ps = t.prepareStatement("SELECT pg_catalog.pg_replication_origin_progress(?, true)"
                        + "::text")) {
            ps.setString(1, origin);
            while (!closed) {
                long applied;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    applied = rs.getString(1) == null ? 0 : Lsn.parse(rs.getString(1));
                }
                int pruned = log.prune(applied);
                if (pruned > 0) {
                    LOG.debug("Pruned {} applied segments of the change log", pruned);
                }
                long now = System.nanoTime();
                if (now - lastReport >= REPORT_NANOS) {
                    long received = receiver.receivedUpTo();
                    double seconds = (now - lastReport) / 1e9;
                    LOG.info("Follow: applied up to {}, received up to {}, lag {} bytes of WAL, applying {} kB of WAL/s,"
                            + " change log {} bytes", Lsn.format(applied), Lsn.format(received),
                            Math.max(0, received - applied), lastApplied < 0 ? 0
                                    : Math.round((applied - lastApplied) / 1024.0 / seconds), log.diskBytes());
                    lastReport = now;
                    lastApplied = applied;
                } else if (lastApplied < 0) {
                    lastApplied = applied;
                }
                Thread.sleep(PRUNE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!closed) {
                LOG.warn("The follow's monitor stopped (the change log is no longer pruned): {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
