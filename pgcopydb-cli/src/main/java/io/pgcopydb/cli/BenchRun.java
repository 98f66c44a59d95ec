package io.pgcopydb.cli;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One timed copy of {@code bench}: a way in a round, what its process measured, and whether its copy verified.
 *
 * @param way the way's name
 * @param round the round, from 1
 * @param position its place in the round's order, from 1
 * @param wallSeconds from start to exit
 * @param cpuSeconds user + sys of all its processes, when measured
 * @param startCpuSeconds user + sys of the same way's copy of an empty database, run right after it: what the way
 *     spends whatever the database (starting, reading the catalogs, the schema tools), when measured
 * @param peakRssBytes the largest resident set of one of its processes, when measured
 * @param outcome the verification's verdict, or {@link Outcome#FAILED}
 * @param notes why it failed or how it differs: the first differences, or the tail of its output
 */
record BenchRun(String way, int round, int position, double wallSeconds, OptionalDouble cpuSeconds,
        OptionalDouble startCpuSeconds, OptionalLong peakRssBytes, Outcome outcome, List<String> notes) {

    /** What became of a copy. */
    enum Outcome {
        /** The copy finished and {@code DatabaseCompare} found the target identical to the source. */
        IDENTICAL,
        /** The copy finished but the target differs. */
        DIFFERENT,
        /** The copy (or its verification) did not finish. */
        FAILED;

        /** The word the tables print. */
        String word() {
            return this == IDENTICAL ? "identical" : "FAILED";
        }
    }

    BenchRun {
        notes = List.copyOf(notes);
    }

    /** CPU seconds beyond the start cost: {@code cpuSeconds - startCpuSeconds}, when both were measured. */
    OptionalDouble cpuBeyondStart() {
        return cpuSeconds.isPresent() && startCpuSeconds.isPresent()
                ? OptionalDouble.of(cpuSeconds.getAsDouble() - startCpuSeconds.getAsDouble()) : OptionalDouble.empty();
    }

    /** Whether the copy ran to its end, so its times count (a copy that differs still counts, marked FAILED). */
    boolean finished() {
        return outcome != Outcome.FAILED;
    }
}
