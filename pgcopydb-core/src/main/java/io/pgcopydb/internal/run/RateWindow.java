package io.pgcopydb.internal.run;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A rate over the last {@link #WINDOW_NANOS}, from samples of a growing total taken whenever somebody looks: an ETA
 * follows the copy's current speed (a run's small tables go slower than its large ones) without a timer of its
 * own. Thread-safe.
 */
final class RateWindow {
    /** How far back the rate looks. */
    static final long WINDOW_NANOS = 20_000_000_000L;
    /** Samples closer together than this add nothing but memory. */
    private static final long MIN_SPACING_NANOS = 250_000_000L;

    private final Deque<Sample> samples = new ArrayDeque<>();

    private record Sample(long nanos, long total) {
    }

    /**
     * Records {@code total} at {@code nanos} and returns the rate per second over the window; {@code fallback}
     * (a longer average) while the window spans less than a second.
     */
    synchronized double sample(long nanos, long total, double fallback) {
        if (samples.isEmpty() || nanos - samples.peekLast().nanos() >= MIN_SPACING_NANOS) {
            samples.addLast(new Sample(nanos, total));
        }
        while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > WINDOW_NANOS) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        long span = nanos - first.nanos();
        if (span < 1_000_000_000L) {
            return fallback;
        }
        return Math.max(0, total - first.total()) * 1e9 / span;
    }
}
