package io.pgcopydb;

import java.time.Duration;

/**
 * One line of the step summary, as pgcopydb prints it.
 *
 * @param label what the step is (e.g. {@code COPY (cumulative)})
 * @param connection which servers the step talks to: {@code source}, {@code target} or {@code both}
 * @param duration wall clock, or the sum of per-object durations for cumulative lines
 * @param bytes bytes transferred, 0 when not applicable
 * @param concurrency how many jobs the step may use
 */
public record StepTiming(String label, String connection, Duration duration, long bytes, int concurrency) {
}
