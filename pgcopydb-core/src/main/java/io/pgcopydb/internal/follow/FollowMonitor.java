package io.pgcopydb.internal.follow;

import io.pgcopydb.FollowListener;
import io.pgcopydb.FollowProgress;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Sessions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While changes are applied: every 2 s reads the origin's progress on a target session of its own, prunes the
 * change log's applied segments and tells the listener the lag (bytes received and not applied; seconds since the
 * oldest of those transactions committed) and the apply rate; logs the same every 10 s. Runs on the daemon thread
 * {@code pgcopydb-follow-monitor} until {@link #close()}.
 */
final class FollowMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FollowMonitor.class);
    private static final long PERIOD_MILLIS = 2_000;
    private static final long LOG_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ConnectionSpec target;
    private final String origin;
    private final FollowListener listener;
    private final ChangeLog log;
    private final ChangeReceiver receiver;
    private final Thread thread;
    private volatile boolean closed;
    private boolean listenerFailed;

    private FollowMonitor(ConnectionSpec target, String origin, FollowListener listener, ChangeLog log,
            ChangeReceiver receiver) {
        this.target = target;
        this.origin = origin;
        this.listener = listener;
        this.log = log;
        this.receiver = receiver;
        this.thread = new Thread(this::run, "pgcopydb-follow-monitor");
        thread.setDaemon(true);
    }

    static FollowMonitor start(ConnectionSpec target, String origin, FollowListener listener, ChangeLog log,
            ChangeReceiver receiver) {
        FollowMonitor m = new FollowMonitor(target, origin, listener, log, receiver);
        m.thread.start();
        return m;
    }

    private void run() {
        long lastLog = 0;
        long previousAt = System.nanoTime();
        long previousApplied = -1;
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
                long rate = previousApplied < 0 ? 0
                        : Math.round((applied - previousApplied) / ((now - previousAt) / 1e9));
                FollowProgress progress = progress(applied, Math.max(0, rate));
                previousAt = now;
                previousApplied = applied;
                tell(progress);
                if (now - lastLog >= LOG_NANOS) {
                    LOG.info("Follow: applied up to {}, received up to {}, lag {} bytes / {} ms, applying {} kB of "
                            + "WAL/s, change log {} bytes", progress.appliedUpTo(), progress.receivedUpTo(),
                            progress.lagBytes(), progress.lag().toMillis(), progress.applyBytesPerSecond() / 1024,
                            progress.changeLogBytes());
                    lastLog = now;
                }
                Thread.sleep(PERIOD_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!closed) {
                LOG.warn("The follow's monitor stopped (the change log is no longer pruned): {}", e.getMessage());
            }
        }
    }

    private FollowProgress progress(long applied, long rate) {
        long received = Math.max(receiver.receivedUpTo(), applied);
        long lagMicros = log.oldestUnappliedCommitMicros(applied).stream()
                .map(c -> Math.max(0, System.currentTimeMillis() * 1000 - c)).findFirst().orElse(0);
        return new FollowProgress(Lsn.format(received), Lsn.format(applied), received - applied,
                Duration.ofNanos(lagMicros * 1000), rate, log.diskBytes());
    }

    /** An observer never breaks the follow: one that throws is logged once and called no more. */
    private void tell(FollowProgress progress) {
        if (listenerFailed) {
            return;
        }
        try {
            listener.progress(progress);
        } catch (RuntimeException e) {
            listenerFailed = true;
            LOG.warn("The follow's listener threw, and is called no more: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
