package io.pgcopydb.internal.data;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.run.RunThreads;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the large objects inside the run's snapshot with {@code largeObjectJobs} {@link LargeObjectWorker}s on
 * the run's {@code lo} pool.
 *
 * <p>The calling thread lists the OIDs in the snapshot through a cursor and hands them out in batches on a
 * bounded queue, so neither the list nor any object is ever held whole. Each worker commits its target transaction
 * every {@value #COMMIT_OBJECTS} objects, {@value #COMMIT_BYTES} bytes or {@value #COMMIT_METADATA} objects whose
 * metadata it wrote, so a failure does not undo hours of work and the transaction does not pile up object locks
 * (pgcopydb ran out of {@code max_locks_per_transaction} setting owners). The first failure stops every worker
 * (they check between batches and between 1 MB chunks, as they check that the run is stopping).
 */
public final class LargeObjectCopier {
    private static final Logger LOG = LoggerFactory.getLogger(LargeObjectCopier.class);
    static final int MAX_BATCH = 100;
    static final int COMMIT_OBJECTS = 1000;
    static final long COMMIT_BYTES = 64L << 20;
    /** Objects whose metadata a transaction writes: each holds an object lock until commit. */
    static final int COMMIT_METADATA = 100;
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long[] END = new long[0];
    private static final Pattern OID_IN_MESSAGE = Pattern.compile("large object (\\d+)");

    private final RunContext context;
    private final BlockingQueue<long[]> queue;
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    private final AtomicLong copied = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong copiedBytes = new AtomicLong();
    private final AtomicLong metadataWritten = new AtomicLong();
    private final AtomicLong vanished = new AtomicLong();
    private final List<Future<?>> workers = new ArrayList<>();
    private volatile boolean abort;
    private long total;
    private long listed;
    private boolean listingComplete;
    private long lastProgress = System.nanoTime();

    /** What a copy moved. */
    public record Copied(long count, long bytes) {
    }

    private LargeObjectCopier(RunContext context) {
        this.context = context;
        this.queue = new ArrayBlockingQueue<>(2 * context.options().largeObjectJobs());
    }

    /**
     * Copies every large object of the snapshot.
     *
     * @throws PgCopyException naming the large object that failed; objects committed before stay on the target
     */
    public static Copied copy(RunContext context) throws Exception {
        return new LargeObjectCopier(context).run();
    }

    private Copied run() throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = null;
        try (Connection lister = context.openSource()) {
            total = count(lister);
            if (total == 0) {
                return new Copied(0, 0);
            }
            int jobs = (int) Math.min(context.options().largeObjectJobs(), total);
            int batch = (int) Math.max(1, Math.min(MAX_BATCH, (total + jobs - 1) / jobs));
            LOG.info("Copying {} large objects with {} workers", total, jobs);
            pool = context.run().threads().pool("lo", jobs);
            for (int i = 1; i <= jobs; i++) {
                workers.add(pool.submit(this::work));
            }
            list(lister, batch, jobs);
        } catch (Exception e) {
            fail(e, null);
        } finally {
            awaitAll();
            if (pool != null) {
                RunThreads.shutdown(pool);
            }
        }
        Failure f = failure.get();
        if (f != null) {
            throw f.toException(committed.get(), total);
        }
        if (!listingComplete || committed.get() + vanished.get() != listed) {
            // Never report success for objects not copied, even if a worker died without saying why.
            throw new IllegalStateException((context.isStopping() ? "stopped after " : "only ") + committed.get()
                    + " of " + total + " large objects were committed");
        }
        if (vanished.get() > 0) {
            context.warn(vanished.get() + " large objects were deleted on the source during the copy (no "
                    + "consistent snapshot)");
        }
        LOG.info("Copied {} large objects ({}) in {} ms; metadata created or fixed on the target for {}",
                copied.get(), megabytes(copiedBytes.get()), (System.nanoTime() - start) / 1_000_000,
                metadataWritten.get());
        return new Copied(copied.get(), copiedBytes.get());
    }

    private static long count(Connection source) throws SQLException {
        try (Statement s = source.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_catalog.pg_largeobject_metadata")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Reads the OIDs through a cursor and queues them in batches, then one {@link #END} per worker. */
    private void list(Connection source, int batch, int jobs) throws SQLException, InterruptedException {
        try (Statement s = source.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT oid::int8 FROM pg_catalog.pg_largeobject_metadata ORDER BY 1")) {
                long[] current = new long[batch];
                int n = 0;
                while (rs.next()) {
                    listed++;
                    current[n++] = rs.getLong(1);
                    if (n == batch) {
                        if (!hand(current)) {
                            return;
                        }
                        current = new long[batch];
                        n = 0;
                    }
                }
                if (n > 0 && !hand(Arrays.copyOf(current, n))) {
                    return;
                }
            }
        }
        for (int i = 0; i < jobs; i++) {
            if (!hand(END)) {
                return;
            }
        }
        listingComplete = true;
    }

    /** Queues a batch unless the copy is stopping or no worker is left; logs progress while it waits. */
    private boolean hand(long[] batch) throws InterruptedException {
        while (!stopping() && workers.stream().anyMatch(w -> !w.isDone())) {
            if (queue.offer(batch, 200, TimeUnit.MILLISECONDS)) {
                return true;
            }
            logProgress();
        }
        return false;
    }

    private void awaitAll() throws InterruptedException {
        try {
            for (Future<?> w : workers) {
                while (!w.isDone()) {
                    try {
                        w.get(1, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        logProgress();
                    } catch (ExecutionException e) {
                        fail(e.getCause(), null);
                    }
                }
            }
        } catch (InterruptedException e) {
            abort = true; // the workers see it within one chunk and roll back
            throw e;
        }
    }

    private void logProgress() {
        long now = System.nanoTime();
        if (now - lastProgress >= PROGRESS_NANOS) {
            lastProgress = now;
            LOG.info("Large objects: {} of {} copied ({})", copied.get(), total, megabytes(copiedBytes.get()));
        }
    }

    private void work() {
        boolean syncOwner = !context.options().noOwner();
        // Without the owner the grantors differ from the source's, so the ACLs cannot be compared either.
        boolean syncAcl = !context.options().noAcl() && syncOwner;
        LargeObjectWorker worker = new LargeObjectWorker(this, syncOwner, syncAcl, !context.options().noComments(),
                context.options().noAcl());
        try (Connection source = context.openSource(); Connection target = context.openTarget()) {
            worker.run(source, target);
        } catch (Throwable e) {
            fail(e, worker.current());
        }
    }

    /** The next batch for a worker, {@link #isEnd the end marker}, or null when none came within 200 ms. */
    long[] nextBatch() throws InterruptedException {
        return queue.poll(200, TimeUnit.MILLISECONDS);
    }

    /** Whether {@code batch} is the marker that tells a worker to commit and end. */
    static boolean isEnd(long[] batch) {
        return batch == END;
    }

    /** Whether the workers must stop: a failure here, or the run is stopping. */
    boolean stopping() {
        return abort || context.isStopping();
    }

    /** A worker copied {@code objects} objects, {@code bytes} bytes, and wrote metadata of {@code metadata}. */
    void copied(long objects, long bytes, long metadata) {
        copied.addAndGet(objects);
        copiedBytes.addAndGet(bytes);
        metadataWritten.addAndGet(metadata);
    }

    /** A worker committed {@code objects} more objects. */
    void committed(long objects) {
        committed.addAndGet(objects);
    }

    /** Objects listed in the snapshot were gone when a worker read them (a copy without a snapshot). */
    void vanished(long objects) {
        vanished.addAndGet(objects);
    }

    private void fail(Throwable e, String object) {
        failure.compareAndSet(null, new Failure(e, object, context.isStopping()));
        abort = true;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    /** The first failure, and whether the run was already stopping (then it is a consequence, not the cause). */
    private record Failure(Throwable error, String object, boolean whileStopping) {
        Exception toException(long copied, long total) {
            if (whileStopping) {
                return new IllegalStateException("stopped after " + copied + " of " + total + " large objects", error);
            }
            String message = Errors.message(error);
            String what = object;
            Matcher m = OID_IN_MESSAGE.matcher(message);
            if (m.find()) {
                what = "large object " + m.group(1);
            } else if (what == null) {
                what = "large objects";
            }
            return PgCopyException.builder(Errors.runCode(error, ErrorCode.COPY_FAILED), "copying " + what
                    + " failed: " + message + " ("
                    + copied + " of " + total + " large objects were committed; a rerun rewrites them)")
                    .phase(Phase.LARGE_OBJECTS).object(what).sqlState(Errors.sqlState(error).orElse(null))
                    .cause(error).build();
        }
    }
}
