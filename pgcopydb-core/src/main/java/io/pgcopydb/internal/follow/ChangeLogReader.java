package io.pgcopydb.internal.follow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.NoSuchElementException;
import java.util.function.LongSupplier;

/**
 * Reads a {@link ChangeLog}'s durable records in order, following it as it grows: what the applier iterates. Its
 * end is described at {@link ChangeLog#reader}. One thread; {@link #close()} releases the open segment.
 */
public final class ChangeLogReader implements ReadyChanges, AutoCloseable {
    private static final long WAIT_MILLIS = 200;

    private final ChangeLog log;
    private final LongSupplier endpos;
    private final ByteBuffer header = ByteBuffer.allocate(LogRecord.HEADER);
    private LogSegment segment;
    private FileChannel channel;
    private long position;
    private StoredChange next;
    private boolean inTransaction;
    private long lastCommitEnd;
    private boolean ended;

    ChangeLogReader(ChangeLog log, long after, LongSupplier endpos) {
        this.log = log;
        this.endpos = endpos;
        this.segment = log.firstSegment(after);
    }

    /** The end LSN of the last Commit this reader returned, 0 before the first. */
    public long lastCommitEnd() {
        return lastCommitEnd;
    }

    /**
     * Whether {@link #hasNext()} would answer without waiting for the receiver: a backlog is at hand (the applier
     * then lets small transactions share a target transaction), or the log has ended.
     */
    @Override
    public boolean ready() {
        if (next != null || ended) {
            return true;
        }
        synchronized (log) {
            return position < segment.durableSize || log.segmentAfter(segment.number) != null || log.finished();
        }
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        while (!ended) {
            long size;
            LogSegment after;
            boolean finished;
            long caughtUp;
            // One consistent view: what the receiver says it has caught up to is always within the durable size.
            synchronized (log) {
                size = segment.durableSize;
                after = log.segmentAfter(segment.number);
                finished = log.finished();
                caughtUp = log.caughtUpTo();
            }
            if (position < size) {
                StoredChange change = read();
                if (!inTransaction && PgOutputMessages.isBegin(change)
                        && PgOutputMessages.beginFinalLsn(change) >= endpos.getAsLong()) {
                    ended = true;
                    break;
                }
                track(change);
                next = change;
                return true;
            }
            if (after != null) {
                open(after);
                continue;
            }
            if (atEnd(finished, caughtUp)) {
                ended = true;
                break;
            }
            synchronized (log) {
                if (segment.durableSize == position && log.segmentAfter(segment.number) == null && !log.finished()) {
                    try {
                        log.wait(WAIT_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for changes", e);
                    }
                }
            }
        }
        close();
        return false;
    }

    /** At the end of what is durable: whether nothing before endpos can come any more. */
    private boolean atEnd(boolean finished, long caughtUp) {
        if (finished) {
            return true;
        }
        long end = endpos.getAsLong();
        return !inTransaction && (lastCommitEnd >= end || caughtUp >= end);
    }

    private void track(StoredChange change) {
        if (PgOutputMessages.isBegin(change)) {
            inTransaction = true;
        } else if (PgOutputMessages.isCommit(change)) {
            inTransaction = false;
            lastCommitEnd = PgOutputMessages.commitEndLsn(change);
        }
    }

    @Override
    public StoredChange next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        StoredChange change = next;
        next = null;
        return change;
    }

    private StoredChange read() {
        try {
            if (channel == null) {
                channel = FileChannel.open(segment.path, StandardOpenOption.READ);
            }
            header.clear();
            readFully(header, position);
            int length = LogRecord.announcedLength(header);
            if (length < 0) {
                throw new IllegalStateException("the change log " + segment.path + " is corrupt at " + position);
            }
            ByteBuffer whole = ByteBuffer.allocate(LogRecord.HEADER + length);
            readFully(whole, position);
            var record = LogRecord.decode(whole);
            if (record.isEmpty()) {
                // Only durable bytes are read, and they were checked when written: a change on disk since then.
                throw new IllegalStateException("the change log " + segment.path + " is corrupt at " + position
                        + " (checksum mismatch)");
            }
            position += whole.capacity();
            return record.get();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the change log's segment " + segment.path + " was deleted while read", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the change log " + segment.path + ": " + e.getMessage(), e);
        }
    }

    private void readFully(ByteBuffer b, long at) throws IOException {
        b.clear();
        long p = at;
        while (b.hasRemaining()) {
            int n = channel.read(b, p);
            if (n < 0) {
                throw new IOException("unexpected end of " + segment.path + " at " + p);
            }
            p += n;
        }
        b.flip();
    }

    private void open(LogSegment following) {
        close();
        segment = following;
        position = 0;
    }

    /** Closes the open segment file. */
    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Read-only: nothing can be lost.
            }
            channel = null;
        }
    }
}
