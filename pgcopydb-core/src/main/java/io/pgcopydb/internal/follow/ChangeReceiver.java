package io.pgcopydb.internal.follow;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.QualifiedName;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the slot's pgoutput messages (protocol version 1, so never a streamed in-progress transaction) into the
 * {@link ChangeLog}. The slot hears that a position is flushed only once the log has fsynced everything before it:
 * pgjdbc's automatic flush is off, and the feedback carries {@link ChangeLog#durablePosition()}, also while idle
 * (a slot nobody answers keeps its WAL, and the server ends a silent stream). Between transactions, over the log's
 * disk bound, it stops reading until the applier has made room.
 *
 * <p>{@link #start()} runs it on a thread of its own until {@link #stop()}; a failure ends it and is kept for
 * {@link #failure()}.
 */
public final class ChangeReceiver implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeReceiver.class);
    /** A transaction's changes are fsynced together at its commit, at most this often when commits are frequent. */
    private static final long SYNC_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long FEEDBACK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int UNSYNCED_BYTES = 16 << 20;

    private final ConnectionSpec source;
    private final FollowNames names;
    private final ChangeLog log;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile long receivedUpTo;
    private Thread thread;

    public ChangeReceiver(ConnectionSpec source, FollowNames names, ChangeLog log) {
        this.source = source;
        this.names = names;
        this.log = log;
    }

    /** Starts receiving on the thread {@code pgcopydb-follow-receive}. */
    public synchronized void start() {
        thread = new Thread(this, "pgcopydb-follow-receive");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops receiving: syncs what was received, closes the stream and waits (at most 30 s) for the thread. */
    public void stop() throws InterruptedException {
        stopping = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    /** The failure that ended the receiver, if one did. */
    public Throwable failure() {
        return failure.get();
    }

    /** Whether the receiver's thread is running. */
    public synchronized boolean running() {
        return thread != null && thread.isAlive();
    }

    /** The last WAL position the server reported (a message's or a keepalive's). */
    public long receivedUpTo() {
        return receivedUpTo;
    }

    @Override
    public void run() {
        try (Connection c = ReplicationSessions.open(source, "follow receive")) {
            PGReplicationStream stream = c.unwrap(PGConnection.class).getReplicationAPI().replicationStream()
                    .logical().withSlotName(names.slot())
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", QualifiedName.quoteIdent(names.publication()))
                    .withStatusInterval(10, TimeUnit.SECONDS)
                    .withAutomaticFlush(false)
                    .start();
            try {
                receive(stream);
            } finally {
                log.sync();
                feedback(stream);
                Sessions.closeQuietly(stream, null);
            }
        } catch (Throwable e) {
            if (!stopping) {
                failure.set(e);
                LOG.error("Receiving changes from slot {} failed: {}", names.slot(), e.getMessage());
            }
        } finally {
            log.finish();
        }
    }

    private void receive(PGReplicationStream stream) throws Exception {
        long lastSync = System.nanoTime();
        long lastFeedback = 0;
        long unsynced = 0;
        long reported = -1;
        while (!stopping) {
            ByteBuffer buffer = stream.readPending();
            long now = System.nanoTime();
            if (buffer == null) {
                if (log.dirty()) {
                    log.sync();
                    unsynced = 0;
                    lastSync = now;
                }
                receivedUpTo = Math.max(receivedUpTo, stream.getLastReceiveLSN().asLong());
                // Idle between transactions with everything on disk: nothing committing before the server's
                // position can still come, so the slot may release the WAL before it.
                log.caughtUp(receivedUpTo);
                if (log.durablePosition() != reported || now - lastFeedback > FEEDBACK_NANOS) {
                    reported = feedback(stream);
                    lastFeedback = now;
                }
                Thread.sleep(5);
                continue;
            }
            byte[] message = new byte[buffer.remaining()];
            buffer.get(message);
            long lsn = stream.getLastReceiveLSN().asLong();
            receivedUpTo = Math.max(receivedUpTo, lsn);
            StoredChange change = new StoredChange(lsn, message);
            log.append(change);
            unsynced += message.length;
            if (PgOutputMessages.isCommit(change) && (now - lastSync > SYNC_NANOS || unsynced > UNSYNCED_BYTES)) {
                log.sync();
                unsynced = 0;
                lastSync = now;
                if (now - lastFeedback > FEEDBACK_NANOS) {
                    reported = feedback(stream);
                    lastFeedback = now;
                }
            }
            if (!log.inTransaction() && log.overBound()) {
                log.sync();
                waitForRoom(stream);
            }
        }
    }

    /** Over the disk bound: answer the server (it would end a silent stream) but read nothing until pruned. */
    private void waitForRoom(PGReplicationStream stream) throws Exception {
        LOG.warn("The change log takes {} bytes, over its bound: receiving paused until changes are applied",
                log.diskBytes());
        while (!stopping && log.overBound()) {
            feedback(stream);
            Thread.sleep(500);
        }
    }

    private long feedback(PGReplicationStream stream) throws Exception {
        long durable = log.durablePosition();
        if (durable > 0) {
            LogSequenceNumber lsn = LogSequenceNumber.valueOf(durable);
            stream.setFlushedLSN(lsn);
            stream.setAppliedLSN(lsn);
        }
        if (!stream.isClosed()) {
            stream.forceUpdateStatus();
        }
        return durable;
    }
}
