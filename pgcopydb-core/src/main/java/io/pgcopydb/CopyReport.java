package io.pgcopydb;

import io.pgcopydb.compare.CompareReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The immutable result of a copy: per table, index and constraint outcomes with rows, bytes and durations; the
 * step timings; every failure. {@link #summaryTable()} and {@link #stepTable()} render pgcopydb's two summary
 * tables; {@link #toJson()} a machine-readable form.
 *
 * @param runId the run's id (also in the log MDC)
 * @param status how the run ended
 * @param startedAt when the run started
 * @param duration total wall clock
 * @param tables per table, in the order they were scheduled (largest first)
 * @param objects per index and constraint
 * @param steps the step summary lines, pgcopydb's order, the total last
 * @param sequences sequences whose values were set
 * @param largeObjects large objects copied
 * @param failures every failure, in the order they happened
 * @param retries every retry after a lost connection, in the order they happened; a successful run may have some
 * @param warnings everything skipped or degraded that the run survived (a setting or grant the target refused, a
 *     filter entry matching nothing, a privilege-check degradation…), one line each, in the order they happened
 * @param workDirectory the work directory the run kept, when it kept one: a run that did not succeed keeps it when
 *     it wrote to the target (then {@code resumable}) or when the caller gave it; empty when it was removed
 * @param resumable whether {@link CopyBuilder#resume()} can continue this run from {@code workDirectory}
 * @param verification with {@link CopyBuilder#verify()}: the comparison of the target with the source
 * @param versions the servers' versions and the client tools used, once preflight found them
 * @param strategy which {@link Strategy} ran and why, and whether the library created the target database
 */
public record CopyReport(String runId, Status status, Instant startedAt, Duration duration, List<TableReport> tables,
        List<ObjectReport> objects, List<StepTiming> steps, int sequences, long largeObjects,
        List<Failure> failures, List<Retry> retries, List<String> warnings, Optional<Path> workDirectory,
        boolean resumable, Optional<CompareReport> verification, Optional<Versions> versions,
        StrategyReport strategy) {

    /** How a run ended. */
    public enum Status {
        /** Everything asked for was copied. */
        SUCCEEDED,
        /** At least one object failed or was skipped. */
        FAILED,
        /** Cancelled or timed out. */
        CANCELLED
    }

    /** Copies the lists. */
    public CopyReport {
        java.util.Objects.requireNonNull(workDirectory, "workDirectory");
        java.util.Objects.requireNonNull(verification, "verification");
        java.util.Objects.requireNonNull(versions, "versions");
        java.util.Objects.requireNonNull(strategy, "strategy");
        tables = List.copyOf(tables);
        objects = List.copyOf(objects);
        steps = List.copyOf(steps);
        failures = List.copyOf(failures);
        retries = List.copyOf(retries);
        warnings = List.copyOf(warnings);
    }

    /** A report of a streamed copy into an existing target database (the strategy reported as asked). */
    public CopyReport(String runId, Status status, Instant startedAt, Duration duration, List<TableReport> tables,
            List<ObjectReport> objects, List<StepTiming> steps, int sequences, long largeObjects,
            List<Failure> failures, List<Retry> retries, List<String> warnings, Optional<Path> workDirectory,
            boolean resumable, Optional<CompareReport> verification, Optional<Versions> versions) {
        this(runId, status, startedAt, duration, tables, objects, steps, sequences, largeObjects, failures, retries,
                warnings, workDirectory, resumable, verification, versions, StrategyReport.streamed("asked for"));
    }

    /** A report without versions (a run that failed before preflight found them). */
    public CopyReport(String runId, Status status, Instant startedAt, Duration duration, List<TableReport> tables,
            List<ObjectReport> objects, List<StepTiming> steps, int sequences, long largeObjects,
            List<Failure> failures, List<Retry> retries, List<String> warnings, Optional<Path> workDirectory,
            boolean resumable, Optional<CompareReport> verification) {
        this(runId, status, startedAt, duration, tables, objects, steps, sequences, largeObjects, failures, retries,
                warnings, workDirectory, resumable, verification, Optional.empty());
    }

    /** A report of a run that kept no work directory. */
    public CopyReport(String runId, Status status, Instant startedAt, Duration duration, List<TableReport> tables,
            List<ObjectReport> objects, List<StepTiming> steps, int sequences, long largeObjects,
            List<Failure> failures, List<Retry> retries, List<String> warnings) {
        this(runId, status, startedAt, duration, tables, objects, steps, sequences, largeObjects, failures, retries,
                warnings, Optional.empty(), false, Optional.empty());
    }

    /** A report without warnings. */
    public CopyReport(String runId, Status status, Instant startedAt, Duration duration, List<TableReport> tables,
            List<ObjectReport> objects, List<StepTiming> steps, int sequences, long largeObjects,
            List<Failure> failures, List<Retry> retries) {
        this(runId, status, startedAt, duration, tables, objects, steps, sequences, largeObjects, failures, retries,
                List.of());
    }

    /** A report without retries. */
    public CopyReport(String runId, Status status, Instant startedAt, Duration duration, List<TableReport> tables,
            List<ObjectReport> objects, List<StepTiming> steps, int sequences, long largeObjects,
            List<Failure> failures) {
        this(runId, status, startedAt, duration, tables, objects, steps, sequences, largeObjects, failures, List.of(),
                List.of());
    }

    /** Whether everything asked for was copied. */
    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    /** Total rows copied. */
    public long totalRows() {
        return tables.stream().mapToLong(TableReport::rows).sum();
    }

    /** Total COPY bytes moved. */
    public long totalBytes() {
        return tables.stream().mapToLong(TableReport::bytes).sum();
    }

    /** The indexes of the report. */
    public List<ObjectReport> indexes() {
        return objects.stream().filter(o -> o.kind() == ObjectReport.Kind.INDEX).toList();
    }

    /** The constraints of the report. */
    public List<ObjectReport> constraints() {
        return objects.stream().filter(o -> o.kind() == ObjectReport.Kind.CONSTRAINT).toList();
    }

    /**
     * pgcopydb's per-table summary: OID, schema, name, parts, copy duration, bytes, indexes, index time; when binary
     * was considered ({@link CopyBuilder#useCopyBinary()}, or the default from 64 MB of tables), each table's COPY
     * format too, and after the table one line per table kept in text saying why.
     */
    public String summaryTable() {
        return ReportFormatter.tableSummary(this);
    }

    /** The versions line ({@link Versions#toString()}), or an empty string when preflight did not get that far. */
    public String versionsLine() {
        return versions.map(Versions::toString).orElse("");
    }

    /** pgcopydb's per-step summary: step, connection, duration, transfer, concurrency. */
    public String stepTable() {
        return ReportFormatter.stepSummary(this);
    }

    /** The report as a JSON object. */
    public String toJson() {
        return ReportFormatter.json(this);
    }
}
