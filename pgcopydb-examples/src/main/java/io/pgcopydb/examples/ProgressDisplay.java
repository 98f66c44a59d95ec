package io.pgcopydb.examples;

import io.pgcopydb.CopyListener;
import io.pgcopydb.PlannedCopy;
import io.pgcopydb.SkipReason;
import io.pgcopydb.model.TablePart;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A percentage and an ETA for the data of a copy, from the listener events alone: the plan gives the total
 * ({@link PlannedCopy#bytes()}), every part that ends adds its {@link TablePart#bytes()} (finished, or skipped
 * because a resumed run had already copied it), and the parts still running add an estimate from their COPY
 * progress. Prints at most one line a second, and the last one at 100 %. Thread-safe: events arrive concurrently.
 */
final class ProgressDisplay implements CopyListener {
    private final PrintStream out;
    private final LongSupplier clock;
    private final AtomicLong doneBytes = new AtomicLong();
    private final AtomicLong doneCopyBytes = new AtomicLong();
    private final AtomicLong donePlannedOfCopied = new AtomicLong();
    private final Map<TablePart, Long> running = new ConcurrentHashMap<>();
    private volatile long totalBytes;
    private volatile long start;
    private volatile long lastPrint;
    private volatile double lastPercent = -1;

    /** Prints on {@code out}, timing with {@code clock} (nanoseconds, as {@link System#nanoTime()}). */
    ProgressDisplay(PrintStream out, LongSupplier clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void copyPlanned(PlannedCopy plan) {
        totalBytes = plan.bytes();
        start = clock.getAsLong();
        out.printf(Locale.ROOT, "plan: %d tables in %d parts, %s of data, %d indexes, %d constraints%n",
                plan.tables().size(), plan.parts().size(), size(plan.bytes()), plan.indexes().size(),
                plan.constraints().size());
    }

    @Override
    public void tableCopyProgress(TablePart part, long rows, long bytes) {
        // COPY sends text, not pages: convert with what the finished parts measured (1:1 until one finished).
        long copied = doneCopyBytes.get();
        double perPlannedByte = copied == 0 ? 1.0 : (double) copied / Math.max(1, donePlannedOfCopied.get());
        running.put(part, Math.min((long) (part.bytes() * 0.99), (long) (bytes / perPlannedByte)));
        print(false);
    }

    @Override
    public void tableCopyFinished(TablePart part, long rows, long bytes, Duration duration) {
        doneCopyBytes.addAndGet(bytes);
        donePlannedOfCopied.addAndGet(part.bytes());
        ended(part);
    }

    @Override
    public void tableCopyFailed(TablePart part, Throwable error) {
        running.remove(part);
        out.printf("%s failed: %s%n", part, error.getMessage());
    }

    @Override
    public void tableCopySkipped(TablePart part, SkipReason reason) {
        if (reason.done()) {
            ended(part);
        } else {
            running.remove(part);
        }
    }

    private void ended(TablePart part) {
        running.remove(part);
        doneBytes.addAndGet(part.bytes());
        print(doneBytes.get() == totalBytes);
    }

    /** The share of the planned data that is on the target, 0 to 100. */
    double percent() {
        long total = totalBytes;
        if (total == 0) {
            return 100;
        }
        long estimate = doneBytes.get() + running.values().stream().mapToLong(Long::longValue).sum();
        return Math.min(100.0, 100.0 * estimate / total);
    }

    private void print(boolean last) {
        long now = clock.getAsLong();
        if (!last && now - lastPrint < 1_000_000_000L) {
            return;
        }
        lastPrint = now;
        double p = percent();
        if (p == lastPercent) {
            return;
        }
        lastPercent = p;
        Duration elapsed = Duration.ofNanos(now - start);
        String eta = p <= 0 ? "unknown" : p >= 100 ? "done"
                : seconds(Duration.ofMillis((long) (elapsed.toMillis() * (100 - p) / p)));
        out.printf(Locale.ROOT, "data: %5.1f %%  elapsed %s  ETA %s%n", p, seconds(elapsed), eta);
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    private static String size(long bytes) {
        return bytes < 10L * 1024 * 1024 ? bytes / 1024 + " kB" : bytes / (1024 * 1024) + " MB";
    }
}
