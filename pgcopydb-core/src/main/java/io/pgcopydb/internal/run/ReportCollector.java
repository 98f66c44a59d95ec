package io.pgcopydb.internal.run;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.CopyReport;
import io.pgcopydb.Failure;
import io.pgcopydb.ObjectReport;
import io.pgcopydb.Outcome;
import io.pgcopydb.Phase;
import io.pgcopydb.StepTiming;
import io.pgcopydb.TableReport;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.model.SourceTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Gathers outcomes from the worker threads and builds the immutable {@link CopyReport}. Thread-safe. */
public final class ReportCollector {
    private final String runId;
    private final CopyOptions options;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final Map<Phase, Duration> phases = new EnumMap<>(Phase.class);
    private final Map<Long, TableState> tables = new LinkedHashMap<>();
    private final Map<String, ObjectReport> objects = new ConcurrentHashMap<>();
    private final List<String> objectOrder = new CopyOnWriteArrayList<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<io.pgcopydb.Retry> retries = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final AtomicLong constraintNanos = new AtomicLong();
    private volatile int sequences;
    private volatile long largeObjects;
    private volatile long largeObjectBytes;
    private volatile Optional<Path> keptWorkDirectory = Optional.empty();
    private volatile boolean resumable;
    private volatile Optional<CompareReport> verification = Optional.empty();
    private volatile io.pgcopydb.StrategyReport strategy = io.pgcopydb.StrategyReport.streamed("asked for");
    private volatile Optional<io.pgcopydb.Versions> versions = Optional.empty();

    /** An empty report of run {@code runId}; its clock starts now. */
    public ReportCollector(String runId, CopyOptions options) {
        this.runId = runId;
        this.options = options;
    }

    /** Registers every table of the plan, so tables never reached are reported as skipped. */
    public synchronized void planned(CopyPlan plan, SourceCatalog catalog) {
        // Steps run alone without the table-data step copy no part: their tables are not skipped for that.
        boolean copies = options.steps().map(s -> s.contains(io.pgcopydb.CopyStep.TABLE_DATA)).orElse(true);
        for (SourceTable t : plan.tables()) {
            int parts = !copies ? 0 : (int) plan.parts().stream().filter(p -> p.table().equals(t)).count();
            tables.put(t.oid(), new TableState(t, parts, catalog.indexesOf(t).size()));
        }
        for (SourceTable t : catalog.schemaOnlyTables()) {
            tables.put(t.oid(), new TableState(t, 0, catalog.indexesOf(t).size()));
        }
    }

    /** A step ran for {@code duration} (added up when a step runs twice). */
    public synchronized void phase(Phase phase, Duration duration) {
        phases.merge(phase, duration, Duration::plus);
    }

    /** A table part's rows are on the target (or were, in the run this one resumes). */
    public synchronized void partCopied(SourceTable table, long rows, long bytes, Duration duration) {
        TableState s = tables.get(table.oid());
        s.rows += rows;
        s.bytes += bytes;
        s.copy = s.copy.plus(duration);
        s.partsDone++;
    }

    /** The COPY format chosen for the table, and why it is text although binary was asked (empty otherwise). */
    public synchronized void copyFormat(long tableOid, CopyFormat format, Optional<String> fallbackReason) {
        TableState s = tables.get(tableOid);
        s.format = format;
        s.fallbackReason = fallbackReason;
    }

    /** A table part failed: the table's outcome is FAILED. */
    public synchronized void partFailed(SourceTable table) {
        tables.get(table.oid()).failed = true;
    }

    /** One of the table's indexes was built in {@code duration}. */
    public synchronized void indexBuilt(long tableOid, Duration duration) {
        TableState s = tables.get(tableOid);
        s.indexTime = s.indexTime.plus(duration);
    }

    /** The table was vacuumed in {@code duration}. */
    public synchronized void vacuumed(long tableOid, Duration duration) {
        tables.get(tableOid).vacuum = duration;
    }

    /** The outcome of an index or constraint; a later outcome of the same object replaces an earlier one. */
    public void object(ObjectReport report) {
        // Index and constraint OIDs come from different catalogs: only the pair is unique.
        String key = report.kind() + ":" + report.oid();
        if (objects.put(key, report) == null) {
            objectOrder.add(key);
        }
        if (report.kind() == ObjectReport.Kind.CONSTRAINT) {
            constraintNanos.addAndGet(report.duration().toNanos());
        }
    }

    /** A failure of {@code object} during {@code phase}. */
    public void failure(Phase phase, String object, Optional<String> sqlState, String message) {
        failures.add(new Failure(phase, object, sqlState, message));
    }

    /** The step of the first failure, if any: where a run that stops after failures failed. */
    public Optional<Phase> firstFailurePhase() {
        return failures.stream().findFirst().map(Failure::phase);
    }

    /** Something skipped or degraded that the run survived (see {@link Run#warn}). */
    public void warning(String message) {
        warnings.add(message);
    }

    /** Several warnings, in order. */
    public void warnings(List<String> more) {
        warnings.addAll(more);
    }

    void retry(io.pgcopydb.Retry retry) {
        retries.add(retry);
    }

    /** One line about a table whose work ended: rows, size moved, parts, indexes, for the INFO log. */
    public synchronized String tableSummary(long tableOid) {
        TableState s = tables.get(tableOid);
        if (s == null) {
            return "";
        }
        return s.parts == 0 ? "schema only, " + s.indexes + " index(es)"
                : s.rows + " rows (" + s.bytes + " bytes of COPY data) in " + s.parts + " part(s) and "
                        + s.copy.toMillis() + " ms, " + s.indexes + " index(es) in " + s.indexTime.toMillis() + " ms";
    }

    /** How many failures were recorded so far. */
    public int failureCount() {
        return failures.size();
    }

    /** Whether anything failed so far. */
    public boolean hasFailures() {
        return !failures.isEmpty();
    }

    /** How many sequences were set. */
    public void sequences(int count) {
        sequences = count;
    }

    /** How many large objects were copied, and their bytes. */
    public void largeObjects(long count, long bytes) {
        largeObjects = count;
        largeObjectBytes = bytes;
    }

    /** The run keeps {@code directory}; {@code resumable} when its journal lets a resume continue the run. */
    public void workDirectoryKept(Path directory, boolean resumable) {
        this.keptWorkDirectory = Optional.of(directory);
        this.resumable = resumable;
    }

    /** The servers' versions and the client tools, as preflight found them. */
    public void versions(io.pgcopydb.Versions found) {
        this.versions = Optional.of(found);
    }

    /** The servers' versions and the client tools, once preflight found them. */
    public Optional<io.pgcopydb.Versions> versions() {
        return versions;
    }

    /** Which strategy ran and why. */
    public void strategy(io.pgcopydb.StrategyReport ran) {
        this.strategy = java.util.Objects.requireNonNull(ran, "ran");
    }

    /** What {@code verify()} found. */
    public void verified(CompareReport comparison) {
        this.verification = Optional.of(comparison);
    }

    /** The immutable report as things stand, with {@code status}. */
    public synchronized CopyReport build(CopyReport.Status status) {
        List<TableReport> tableReports = new ArrayList<>();
        for (TableState s : tables.values()) {
            tableReports.add(s.report());
        }
        List<ObjectReport> objectReports = objectOrder.stream().map(objects::get).toList();
        return new CopyReport(runId, status, startedAt, Duration.ofNanos(System.nanoTime() - startNanos),
                tableReports, objectReports, steps(tableReports, objectReports), sequences, largeObjects,
                failures, retries, warnings, keptWorkDirectory, resumable, verification, versions, strategy);
    }

    private List<StepTiming> steps(List<TableReport> tableReports, List<ObjectReport> objectReports) {
        Duration copy = tableReports.stream().map(TableReport::copyDuration).reduce(Duration.ZERO, Duration::plus);
        Duration index = objectReports.stream().filter(o -> o.kind() == ObjectReport.Kind.INDEX)
                .map(ObjectReport::duration).reduce(Duration.ZERO, Duration::plus);
        Duration vacuum = tableReports.stream().map(TableReport::vacuumDuration).reduce(Duration.ZERO, Duration::plus);
        long bytes = tableReports.stream().mapToLong(TableReport::bytes).sum();
        int data = options.jobs() + options.indexJobs() + options.vacuumJobs();
        return List.of(
                step("Catalog Queries (table ordering, filtering, etc)", "source", phases.get(Phase.CATALOG), 0, 1),
                step("Dump Schema", "source", phases.get(Phase.DUMP_SCHEMA), 0, 1),
                step("Prepare Schema", "target", phases.get(Phase.PREPARE_SCHEMA), 0, options.restoreJobs()),
                step("COPY, INDEX, CONSTRAINTS, VACUUM (wall clock)", "both", phases.get(Phase.COPY_DATA), 0, data),
                step("COPY (cumulative)", "both", copy, bytes, options.jobs()),
                step("CREATE INDEX (cumulative)", "target", index, 0, options.indexJobs()),
                step("CONSTRAINTS (cumulative)", "target", Duration.ofNanos(constraintNanos.get()), 0,
                        options.indexJobs()),
                step("VACUUM (cumulative)", "target", vacuum, 0, options.vacuumJobs()),
                step("Reset Sequences", "both", phases.get(Phase.SEQUENCES), 0, 1),
                step("Large Objects (cumulative)", "both", phases.get(Phase.LARGE_OBJECTS), largeObjectBytes, 1),
                step("Finalize Schema", "both", phases.get(Phase.FINALIZE_SCHEMA), 0, options.restoreJobs()),
                step("Verify", "both", phases.get(Phase.VERIFY), 0, options.jobs()),
                step("Total Wall Clock Duration", "both", Duration.ofNanos(System.nanoTime() - startNanos), 0,
                        data + options.restoreJobs() + 1));
    }

    private static StepTiming step(String label, String connection, Duration d, long bytes, int concurrency) {
        return new StepTiming(label, connection, d == null ? Duration.ZERO : d, bytes, concurrency);
    }

    /** Mutable per-table tally, guarded by the collector's lock. */
    private static final class TableState {
        final SourceTable table;
        final int parts;
        final int indexes;
        int partsDone;
        boolean failed;
        long rows;
        long bytes;
        Duration copy = Duration.ZERO;
        Duration indexTime = Duration.ZERO;
        Duration vacuum = Duration.ZERO;
        CopyFormat format = CopyFormat.TEXT;
        Optional<String> fallbackReason = Optional.empty();

        TableState(SourceTable table, int parts, int indexes) {
            this.table = table;
            this.parts = parts;
            this.indexes = indexes;
        }

        TableReport report() {
            Outcome outcome = failed ? Outcome.FAILED : partsDone == parts ? Outcome.DONE : Outcome.SKIPPED;
            QualifiedName name = table.name();
            return new TableReport(table.oid(), name, parts, outcome, rows, bytes, copy, indexes, indexTime, vacuum,
                    format, fallbackReason);
        }
    }
}
