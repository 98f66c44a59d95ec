package io.pgcopydb.internal.run;

import io.pgcopydb.model.TablePart;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The arithmetic of progress, pure: how far a running COPY is, rates and ETAs. Kept apart from the tracker so
 * that properties can check it without a run.
 */
final class ProgressMath {
    /** A running part never counts as done: only its commit says so. */
    static final double RUNNING_CAP = 0.99;

    private ProgressMath() {
    }

    /**
     * How far the COPY of {@code part} is, 0 to {@link #RUNNING_CAP}, after {@code rows} rows and {@code bytes}
     * streamed bytes. The source's row estimate ({@code reltuples}, shared evenly between the parts) says it best
     * when the table was analyzed; otherwise the streamed bytes, converted to on-disk bytes by
     * {@code diskPerStreamed} (what the parts finished so far measured; 1 before any), against the part's share of
     * the table's size.
     */
    static double partFraction(TablePart part, long rows, long bytes, double diskPerStreamed) {
        long estimatedRows = part.table().estimatedRows();
        double f;
        if (estimatedRows > 0) {
            f = rows / (estimatedRows / (double) part.count());
        } else if (part.bytes() > 0) {
            f = bytes * diskPerStreamed / part.bytes();
        } else {
            f = 0;
        }
        return Double.isNaN(f) ? 0 : Math.max(0, Math.min(RUNNING_CAP, f));
    }

    /** {@code amount / elapsed} per second; 0 when no time passed. */
    static double perSecond(double amount, Duration elapsed) {
        long nanos = elapsed.toNanos();
        return nanos <= 0 ? 0 : Math.max(0, amount) * 1e9 / nanos;
    }

    /** The time {@code remaining} takes at {@code perSecond}: zero when nothing remains, empty at no rate. */
    static Optional<Duration> eta(double remaining, double perSecond) {
        if (remaining <= 0) {
            return Optional.of(Duration.ZERO);
        }
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            return Optional.empty();
        }
        double seconds = remaining / perSecond;
        // Beyond a year an ETA says nothing; Duration.ofNanos would also overflow near 292 years.
        return seconds > 366 * 86_400.0 ? Optional.empty() : Optional.of(Duration.ofNanos((long) (seconds * 1e9)));
    }

    /** A job's ETA from how far it is after {@code elapsed}: empty before it has moved. */
    static Optional<Duration> eta(OptionalDouble fraction, Duration elapsed) {
        if (fraction.isEmpty() || fraction.getAsDouble() <= 0) {
            return Optional.empty();
        }
        double f = Math.min(1.0, fraction.getAsDouble());
        return eta(1.0 - f, f / (elapsed.toNanos() / 1e9));
    }
}
