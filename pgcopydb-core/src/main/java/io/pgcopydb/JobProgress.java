package io.pgcopydb;

import io.pgcopydb.model.QualifiedName;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One job running at the moment a {@link CopyProgress} was taken: a table part's COPY, an index build, a constraint
 * being attached, or a table's {@code VACUUM}/{@code ANALYZE}. Immutable.
 *
 * @param kind what the job does
 * @param name what it works on: the part ({@code public.orders [2/4]}), the index, the constraint or the table
 * @param table the table the job belongs to
 * @param elapsed how long the job has been running
 * @param rows rows copied so far (COPY jobs; 0 for the others)
 * @param bytes bytes COPY moved so far, as the servers send them (text or binary, not pages; 0 for the others)
 * @param estimatedBytes the part's planned share of its table's on-disk size ({@link
 *     io.pgcopydb.model.TablePart#bytes()}; 0 for the others)
 * @param bytesPerSecond the COPY's average rate since it started ({@code bytes / elapsed}; 0 for the others)
 * @param fraction how far the job is, 0 to 1: a COPY's estimate (below 1 until it commits), the server's block
 *     count for an index build or a vacuum; empty when nothing says
 * @param eta when the job should end at its rate so far; empty when unknown
 * @param server what the target server's progress view says of the job, when it was last polled; empty for COPY
 *     and constraint jobs, and before the first poll
 */
public record JobProgress(Kind kind, String name, QualifiedName table, Duration elapsed, long rows, long bytes,
        long estimatedBytes, double bytesPerSecond, OptionalDouble fraction, Optional<Duration> eta,
        Optional<ServerPhase> server) {

    /** What a job does. */
    public enum Kind {
        /** A table part's COPY. */
        COPY,
        /** {@code CREATE INDEX}. */
        INDEX,
        /** {@code ALTER TABLE … ADD CONSTRAINT}. */
        CONSTRAINT,
        /** {@code VACUUM} and/or {@code ANALYZE} of a copied table. */
        VACUUM
    }

    /**
     * A row of the target's {@code pg_stat_progress_create_index}, {@code pg_stat_progress_vacuum} or
     * {@code pg_stat_progress_analyze} for the job.
     *
     * @param command {@code CREATE INDEX}, {@code VACUUM} or {@code ANALYZE}
     * @param phase the view's {@code phase}, e.g. {@code building index: scanning table}
     * @param done blocks (or, in the index phases that count no blocks, tuples) done in this phase
     * @param total blocks (or tuples) of this phase; 0 when the phase counts neither
     * @param unit {@code blocks} or {@code tuples}
     */
    public record ServerPhase(String command, String phase, long done, long total, String unit) {

        /** Checks for nulls. */
        public ServerPhase {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(unit, "unit");
        }

        /** {@code done / total}, or empty when the phase counts nothing. */
        public OptionalDouble fraction() {
            return total <= 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.min(1.0, (double) done / total));
        }
    }

    /** Checks for nulls. */
    public JobProgress {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(fraction, "fraction");
        Objects.requireNonNull(eta, "eta");
        Objects.requireNonNull(server, "server");
    }
}
