package io.pgcopydb;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How far a running copy is, as {@link CopyExecution#progress()} saw it at one moment: the data against the plan
 * (bytes done of the planned total, the rate, an ETA), every job running then, and the units ended of each kind.
 * The same figures the command-line tool draws, so an embedding tool can show them in its own interface.
 * Immutable.
 *
 * <p>Bytes are counted in the plan's unit: each table part's share of its table's on-disk size, heap and TOAST
 * ({@link io.pgcopydb.model.TablePart#bytes()}); a part counts whole once it ended (copied, or done by an earlier
 * run) and by its estimated share while its COPY runs, so {@link #bytesDone()} reaches {@link #bytesTotal()}
 * exactly when all data is in.
 *
 * @param taken when the snapshot was taken
 * @param phase the step running then; empty before the first step and after the last
 * @param elapsed time since the run started
 * @param bytesDone planned bytes done, ended parts whole and running parts by their estimate
 * @param bytesTotal planned bytes of the whole copy ({@link PlannedCopy#bytes()}); 0 before the plan
 * @param bytesPerSecond planned bytes per second over the last few seconds (since the data started when
 *     shorter); 0 before any data moved
 * @param eta when the data should be done at that rate: zero once it is, empty when unknown
 * @param jobs the jobs running then: copies first, then index builds, constraints and vacuums, each by start
 * @param tables tables with data to copy, ended when their last part ended
 * @param indexes the indexes the run builds
 * @param constraints the constraints the run attaches
 * @param vacuums the tables the run vacuums
 */
public record CopyProgress(Instant taken, Optional<Phase> phase, Duration elapsed, long bytesDone, long bytesTotal,
        double bytesPerSecond, Optional<Duration> eta, List<JobProgress> jobs, UnitCount tables, UnitCount indexes,
        UnitCount constraints, UnitCount vacuums) {

    /**
     * How many units of one kind the plan holds and how many have ended so far, by how they ended.
     *
     * @param done finished, or done by an earlier run
     * @param failed failed
     * @param skipped skipped for any other reason (a cancellation, a failed dependency, the run stopping)
     * @param total planned
     */
    public record UnitCount(int done, int failed, int skipped, int total) {

        /** No units. */
        public static final UnitCount NONE = new UnitCount(0, 0, 0, 0);

        /** How many ended, however. */
        public int ended() {
            return done + failed + skipped;
        }

        /** {@code ended/total}, e.g. {@code 3/12}. */
        @Override
        public String toString() {
            return ended() + "/" + total;
        }
    }

    /** Copies the job list; checks for nulls. */
    public CopyProgress {
        Objects.requireNonNull(taken, "taken");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(eta, "eta");
        jobs = List.copyOf(jobs);
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(indexes, "indexes");
        Objects.requireNonNull(constraints, "constraints");
        Objects.requireNonNull(vacuums, "vacuums");
    }

    /** Whether the plan is known: before it, there are no totals to count against. */
    public boolean planned() {
        return bytesTotal > 0 || tables.total() > 0 || indexes.total() > 0;
    }

    /** The share of the planned data done, 0 to 1; 1 for a plan without data. */
    public double fraction() {
        return bytesTotal <= 0 ? (planned() ? 1.0 : 0.0) : Math.min(1.0, (double) bytesDone / bytesTotal);
    }

    /**
     * The snapshot on one line, as the log and the command line's plain mode print it: {@code data 41.2 % (1240 MB
     * of 3010 MB) at 85 MB/s, ETA 21s; tables 3/8, indexes 2/12, constraints 1/8, vacuums 0/8; running: COPY
     * public.orders [2/4] 63 %, CREATE INDEX public.orders_pkey building index: scanning table 40 %}; once the data
     * is in, the step instead of rate and ETA ({@code data 100.0 % (3010 MB of 3010 MB), step 8: restore the
     * post-data section to the target database; tables 8/8, …}).
     */
    public String line() {
        if (!planned()) {
            return phase.map(p -> "step " + p.number() + ": " + p.description()).orElse("starting");
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "data %.1f %% (%s of %s)",
                100 * fraction(), ReportFormatter.bytes(bytesDone), ReportFormatter.bytes(bytesTotal)));
        if (bytesDone < bytesTotal) {
            if (bytesPerSecond > 0) {
                sb.append(" at ").append(ReportFormatter.bytes((long) bytesPerSecond)).append("/s");
            }
            eta.ifPresent(d -> sb.append(", ETA ").append(ReportFormatter.duration(d)));
        } else {
            // The data is in: the steps after it (post-data can take long) say what the run is doing.
            phase.filter(p -> p != Phase.COPY_DATA).ifPresent(p -> sb.append(", step ").append(p.number())
                    .append(": ").append(p.description()));
        }
        sb.append("; tables ").append(tables).append(", indexes ").append(indexes).append(", constraints ")
                .append(constraints).append(", vacuums ").append(vacuums);
        if (!jobs.isEmpty()) {
            sb.append("; running: ").append(jobs.stream().map(CopyProgress::jobText).collect(Collectors.joining(", ")));
        }
        return sb.toString();
    }

    private static String jobText(JobProgress job) {
        String what = switch (job.kind()) {
            case COPY -> "COPY " + job.name();
            case INDEX -> "CREATE INDEX " + job.name();
            case CONSTRAINT -> "ADD CONSTRAINT " + job.name();
            case VACUUM -> job.server().map(JobProgress.ServerPhase::command).orElse("VACUUM") + " " + job.name();
        };
        String phase = job.server().map(s -> " " + s.phase()).orElse("");
        String share = job.fraction().isPresent()
                ? String.format(Locale.ROOT, " %.0f %%", 100 * job.fraction().getAsDouble()) : "";
        return what + phase + share;
    }
}
