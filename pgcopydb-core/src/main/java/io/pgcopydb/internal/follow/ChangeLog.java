package io.pgcopydb.internal.follow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The crash-safe store of received pgoutput messages in the follow's directory: append-only segment files
 * ({@code 0000000000000001.seg}, …) of {@link LogRecord}s, each checksummed.
 *
 * <ul>
 *   <li><b>Durability.</b> {@link #sync()} writes and fsyncs what was appended; only then does
 *       {@link #durablePosition()} move, and only that position is ever reported to the slot as flushed.</li>
 *   <li><b>Recovery.</b> {@link #open} reads every segment; at the first record cut short or failing its checksum
 *       the log ends (that segment is truncated there, later ones deleted), and a transaction without its Commit at
 *       the end is cut away too: the slot sends it again, whole.</li>
 *   <li><b>Whole transactions per segment.</b> A segment is only ever started between transactions, and starts with
 *       the last Relation and Type message of each OID seen so far: any segment can be read without the earlier
 *       ones, so applied ones can be deleted ({@link #prune}).</li>
 *   <li><b>No duplicates.</b> A transaction whose commit is not past the last stored one (the slot sends it again
 *       after a crash between the fsync and the feedback) is dropped as it arrives.</li>
 *   <li><b>Bounded disk.</b> {@link #overBound()} says when the segments take more than the bound; the receiver then
 *       stops reading the slot (between transactions, so one transaction larger than the bound still fits) until
 *       the applier's progress lets {@link #prune} delete segments: the WAL waits on the source meanwhile.</li>
 * </ul>
 *
 * <p>One writer thread; readers ({@link #reader}) on other threads. Thread-safe.
 */
public final class ChangeLog implements AutoCloseable {
    private static final String SUFFIX = ".seg";
    private static final int WRITE_BUFFER = 1 << 20;

    private final Path dir;
    private final long segmentBytes;
    private final long maxBytes;
    /** Closed and current segments by number. */
    private final TreeMap<Long, LogSegment> segments = new TreeMap<>();
    /** The last Relation/Type message per OID, at the last transaction boundary appended. */
    private final Map<Long, StoredChange> cache = new LinkedHashMap<>();
    private final Map<Long, StoredChange> pendingCache = new LinkedHashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER);
    private final CommitClock commitTimes = new CommitClock();
    private FileChannel out;
    private LogSegment current;
    private boolean inTransaction;
    private boolean skipping;
    private long lastCommitEnd;
    private long durableCommitEnd;
    private long caughtUp;
    private boolean finished;

    private ChangeLog(Path dir, long segmentBytes, long maxBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
    }

    /**
     * Opens (creating if need be) the log in {@code dir}, recovering it as the class says.
     *
     * @param segmentBytes a segment is closed, between transactions, once it is this large
     * @param maxBytes the disk use above which {@link #overBound()} holds
     */
    public static ChangeLog open(Path dir, long segmentBytes, long maxBytes) {
        ChangeLog log = new ChangeLog(dir, segmentBytes, maxBytes);
        try {
            Files.createDirectories(dir);
            log.recover();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the change log in " + dir + ": " + e.getMessage(), e);
        }
        return log;
    }

    private void recover() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        boolean ended = false;
        for (Path file : files) {
            if (ended) {
                Files.delete(file);
                continue;
            }
            long number = Long.parseLong(file.getFileName().toString().replace(SUFFIX, ""));
            LogSegment segment = new LogSegment(number, file, lastCommitEnd, 0);
            long kept = scan(segment);
            if (kept < Files.size(file)) {
                // A torn or corrupt tail, or a transaction without its Commit: never trusted, never applied.
                org.slf4j.LoggerFactory.getLogger(ChangeLog.class).info("Cut {} bytes of an unfinished tail off the "
                        + "change log {}: the slot sends that transaction again", Files.size(file) - kept, file);
                try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    c.truncate(kept);
                    c.force(true);
                }
                ended = true;
            }
            segment.durableSize = kept;
            segments.put(number, segment);
        }
        durableCommitEnd = lastCommitEnd;
        if (segments.isEmpty()) {
            startSegment(1);
        } else {
            current = segments.lastEntry().getValue();
            out = FileChannel.open(current.path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
    }

    /** Reads {@code segment}'s valid records; returns the offset just past its last whole transaction. */
    private long scan(LogSegment segment) throws IOException {
        try (FileChannel c = FileChannel.open(segment.path, StandardOpenOption.READ)) {
            ByteBuffer bytes = c.map(FileChannel.MapMode.READ_ONLY, 0, c.size());
            long boundary = 0;
            boolean open = false;
            pendingCache.clear();
            while (true) {
                var record = LogRecord.decode(bytes);
                if (record.isEmpty()) {
                    break;
                }
                StoredChange change = record.get();
                if (PgOutputMessages.isCached(change)) {
                    pendingCache.put(PgOutputMessages.cacheKey(change), change);
                }
                if (PgOutputMessages.isBegin(change)) {
                    open = true;
                } else if (PgOutputMessages.isCommit(change)) {
                    open = false;
                    lastCommitEnd = Math.max(lastCommitEnd, PgOutputMessages.commitEndLsn(change));
                    segment.lastCommitEnd = lastCommitEnd;
                }
                if (!open) {
                    boundary = bytes.position();
                    cache.putAll(pendingCache);
                    pendingCache.clear();
                }
            }
            pendingCache.clear();
            return boundary;
        }
    }

    private void startSegment(long number) throws IOException {
        Path path = dir.resolve(String.format("%016d", number) + SUFFIX);
        out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        current = new LogSegment(number, path, lastCommitEnd, 0);
        segments.put(number, current);
        for (StoredChange cached : cache.values()) {
            write(cached);
        }
    }

    /**
     * Appends one message (buffered: durable after {@link #sync()}). Messages of a transaction already stored are
     * dropped.
     */
    public void append(StoredChange change) {
        try {
            if (PgOutputMessages.isBegin(change)) {
                skipping = PgOutputMessages.beginFinalLsn(change) < lastCommitEnd;
                if (!skipping) {
                    commitTimes.begun(change);  // the lag counts from here, not from a large transaction's Commit
                    if (!inTransaction && sizeOnDisk() >= segmentBytes) {
                        rotate();
                    }
                }
                inTransaction = true;
            }
            if (skipping) {
                skipping = !PgOutputMessages.isCommit(change);
                inTransaction = skipping;
                return;
            }
            if (PgOutputMessages.isCached(change)) {
                pendingCache.put(PgOutputMessages.cacheKey(change), change);
            }
            write(change);
            if (PgOutputMessages.isCommit(change)) {
                inTransaction = false;
                long end = PgOutputMessages.commitEndLsn(change);
                commitTimes.committed(end, PgOutputMessages.commitTimeMicros(change));
                synchronized (this) {
                    lastCommitEnd = Math.max(lastCommitEnd, end);
                }
                cache.putAll(pendingCache);
                pendingCache.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the change log in " + dir + ": " + e.getMessage(), e);
        }
    }

    private long sizeOnDisk() {
        return writtenSize() + buffer.position();
    }

    private void rotate() throws IOException {
        sync();
        out.close();
        synchronized (this) {
            startSegment(current.number + 1);
        }
    }

    private void write(StoredChange change) throws IOException {
        int size = LogRecord.size(change);
        if (size > buffer.remaining()) {
            drain();
        }
        if (size > buffer.capacity()) {
            ByteBuffer big = LogRecord.encode(change);
            while (big.hasRemaining()) {
                out.write(big);
            }
        } else {
            LogRecord.encodeInto(change, buffer);
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }

    /** Whether a transaction is open: appended its Begin and not yet its Commit. */
    public boolean inTransaction() {
        return inTransaction;
    }

    /** Whether anything appended is not yet durable. */
    public boolean dirty() {
        return buffer.position() > 0 || out != null && current.durableSize < writtenSize();
    }

    private long writtenSize() {
        try {
            return out.size();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Writes and fsyncs what was appended; readers see it from now on. */
    public void sync() {
        try {
            drain();
            out.force(false);
            long size = out.size();
            synchronized (this) {
                current.durableSize = size;
                current.lastCommitEnd = lastCommitEnd;
                durableCommitEnd = lastCommitEnd;
                notifyAll();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync the change log in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records that the receiver has received everything the server decoded up to {@code lsn} and stored all of it
     * durably (between transactions, nothing unsynced): no transaction committing before it can still arrive.
     */
    public synchronized void caughtUp(long lsn) {
        if (!inTransaction && !dirty()) {
            caughtUp = Math.max(caughtUp, lsn);
            notifyAll();
        }
    }

    /** How far the log is safely on disk: what may be reported to the slot as flushed. */
    public synchronized long durablePosition() {
        return Math.max(durableCommitEnd, caughtUp);
    }

    /** The end LSN of the last transaction durably stored (0 for none). */
    public synchronized long durableCommitEnd() {
        return durableCommitEnd;
    }

    synchronized long caughtUpTo() {
        return Math.max(durableCommitEnd, caughtUp);
    }

    /** When the oldest unapplied transaction committed (µs since the epoch, to 100 ms); empty: all applied. */
    public java.util.OptionalLong oldestUnappliedCommitMicros(long applied) {
        return commitTimes.oldestAfter(applied);
    }

    /** Whether the segments take more disk than the bound. */
    public synchronized boolean overBound() {
        return diskBytes() > maxBytes;
    }

    /** The bytes the segments take on disk. */
    public synchronized long diskBytes() {
        long total = 0;
        for (LogSegment s : segments.values()) {
            total += s == current ? s.durableSize + buffer.position() : s.durableSize;
        }
        return total;
    }

    /**
     * Deletes the oldest closed segments whose transactions all ended at or before {@code applied} (the origin's
     * progress on the target).
     *
     * @return how many segments were deleted
     */
    public synchronized int prune(long applied) {
        commitTimes.applied(applied);
        int deleted = 0;
        while (segments.size() > 1 && segments.firstEntry().getValue().lastCommitEnd <= applied) {
            LogSegment oldest = segments.pollFirstEntry().getValue();
            try {
                Files.deleteIfExists(oldest.path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + oldest.path + ": " + e.getMessage(), e);
            }
            deleted++;
        }
        return deleted;
    }

    /** No more messages will be appended: readers end once they have read the rest. */
    public synchronized void finish() {
        finished = true;
        notifyAll();
    }

    synchronized boolean finished() {
        return finished;
    }

    /**
     * A reader of the durable messages, from the first segment holding a transaction that ends after
     * {@code after} (earlier transactions of that segment come too: the applier skips them). It ends between
     * transactions once the next transaction commits at or past {@code endpos} (read again each time it is
     * asked), or once everything before {@code endpos} is read and the receiver has caught up past it, or once the
     * log is {@link #finish() finished} and read to its end; {@code hasNext()} blocks meanwhile.
     */
    public ChangeLogReader reader(long after, LongSupplier endpos) {
        return new ChangeLogReader(this, after, endpos);
    }

    /** The segment after {@code number} that exists now, or null. */
    synchronized LogSegment segmentAfter(long number) {
        var e = segments.higherEntry(number);
        return e == null ? null : e.getValue();
    }

    /** The first segment whose transactions end after {@code after}, or the current one. */
    synchronized LogSegment firstSegment(long after) {
        for (LogSegment s : segments.values()) {
            if (s.lastCommitEnd > after || s == current) {
                return s;
            }
        }
        return current;
    }

    /** The segment files, for tests and reports. */
    public synchronized List<Path> segmentFiles() {
        List<Path> files = new ArrayList<>();
        segments.values().forEach(s -> files.add(s.path));
        return files;
    }

    /** Syncs what is buffered and closes the file. */
    @Override
    public void close() {
        try {
            if (out != null && out.isOpen()) {
                sync();
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            finish();
        }
    }
}
