package io.pgcopydb.internal.run;

import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyProgress;
import io.pgcopydb.CopyProgress.UnitCount;
import io.pgcopydb.JobProgress;
import io.pgcopydb.Phase;
import io.pgcopydb.PlannedCopy;
import io.pgcopydb.SkipReason;
import io.pgcopydb.model.ConstraintDefinition;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.TablePart;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps what {@link io.pgcopydb.CopyExecution#progress()} shows, from the listener's events alone (each costs a map
 * update) and, for index builds and vacuums, from what the {@link ProgressPoller} last read on the target. The
 * snapshot is computed when asked for, never on a timer. Thread-safe: events arrive concurrently.
 */
final class ProgressTracker implements CopyListener {
    /**
     * How long after the last {@link #snapshot} call the poller keeps reading the server, at least: nobody looks
     * after. A caller that asks every N seconds (a plain progress line) keeps it reading for 2 N, up to a minute,
     * so that its next look finds fresh figures.
     */
    static final long LOOKING_NANOS = 3_000_000_000L;
    private static final long LOOKING_AT_MOST_NANOS = 60_000_000_000L;

    private final LongSupplier clock;
    private final long start;
    private volatile PlannedCopy plan;
    private volatile Phase phase;
    private volatile long dataStart;
    private volatile long lastAsked = Long.MIN_VALUE;
    private volatile long askedEvery;
    private final Map<TablePart, Copying> copies = new ConcurrentHashMap<>();
    private final Map<Long, Started<IndexDefinition>> indexes = new ConcurrentHashMap<>();
    private final Map<Long, Started<ConstraintDefinition>> constraints = new ConcurrentHashMap<>();
    private final Map<QualifiedName, Started<QualifiedName>> vacuums = new ConcurrentHashMap<>();
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final Map<Long, TableParts> tables = new ConcurrentHashMap<>();
    private final AtomicLong endedBytes = new AtomicLong();
    private final AtomicLong finishedDisk = new AtomicLong();
    private final AtomicLong finishedStreamed = new AtomicLong();
    private final Ends tableEnds = new Ends();
    private final Ends indexEnds = new Ends();
    private final Ends constraintEnds = new Ends();
    private final Ends vacuumEnds = new Ends();
    private final RateWindow rate = new RateWindow();
    private volatile Map<String, JobProgress.ServerPhase> server = Map.of();

    /** A running COPY's totals so far. */
    private record Copying(long start, long rows, long bytes) {
    }

    /** A running index build, constraint or vacuum. */
    record Started<T>(T unit, long start) {
    }

    /** How one kind of unit ended so far. */
    private static final class Ends {
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();

        void add(Ending how) {
            (how == Ending.DONE ? done : how == Ending.FAILED ? failed : skipped).incrementAndGet();
        }

        UnitCount of(int total) {
            return new UnitCount(done.get(), failed.get(), skipped.get(), total);
        }
    }

    private enum Ending {
        DONE, FAILED, SKIPPED;

        static Ending of(SkipReason reason) {
            return reason.done() ? DONE : SKIPPED;
        }
    }

    /** A table's parts not ended yet, and the worst way one ended. */
    private static final class TableParts {
        final AtomicInteger left;
        volatile Ending worst = Ending.DONE;

        TableParts(int parts) {
            left = new AtomicInteger(parts);
        }
    }

    /** Times with {@code clock} (nanoseconds, as {@link System#nanoTime()}); the run starts now. */
    ProgressTracker(LongSupplier clock) {
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    @Override
    public void phaseStarted(Phase p) {
        phase = p;
    }

    @Override
    public void copyPlanned(PlannedCopy p) {
        Map<Long, Integer> parts = new java.util.HashMap<>();
        p.parts().forEach(part -> parts.merge(part.table().oid(), 1, Integer::sum));
        parts.forEach((oid, n) -> tables.put(oid, new TableParts(n)));
        plan = p;
    }

    @Override
    public void tableCopyStarted(TablePart part) {
        long now = clock.getAsLong();
        if (dataStart == 0) {
            dataStart = now;
        }
        copies.put(part, new Copying(now, 0, 0));
    }

    @Override
    public void tableCopyProgress(TablePart part, long rows, long bytes) {
        copies.computeIfPresent(part, (p, c) -> new Copying(c.start(), rows, bytes));
    }

    @Override
    public void tableCopyFinished(TablePart part, long rows, long bytes, Duration duration) {
        if (bytes > 0 && part.bytes() > 0) {
            finishedDisk.addAndGet(part.bytes());
            finishedStreamed.addAndGet(bytes);
        }
        endPart(part, Ending.DONE);
    }

    @Override
    public void tableCopyFailed(TablePart part, Throwable error) {
        endPart(part, Ending.FAILED);
    }

    @Override
    public void tableCopySkipped(TablePart part, SkipReason reason) {
        endPart(part, Ending.of(reason));
    }

    private void endPart(TablePart part, Ending how) {
        copies.remove(part);
        if (!ended.add("part:" + part.table().oid() + "/" + part.number())) {
            return;
        }
        if (dataStart == 0) {
            dataStart = clock.getAsLong();
        }
        // Failed and skipped parts count as ended too: the bar reaches its end when no data is left to wait for.
        endedBytes.addAndGet(part.bytes());
        TableParts t = tables.get(part.table().oid());
        if (t != null) {
            if (how.ordinal() > t.worst.ordinal()) {
                t.worst = how;
            }
            if (t.left.decrementAndGet() == 0) {
                tableEnds.add(t.worst);
            }
        }
    }

    @Override
    public void indexStarted(IndexDefinition index) {
        indexes.put(index.oid(), new Started<>(index, clock.getAsLong()));
    }

    @Override
    public void indexFinished(IndexDefinition index, Duration duration) {
        endIndex(index, Ending.DONE);
    }

    @Override
    public void indexFailed(IndexDefinition index, Throwable error) {
        endIndex(index, Ending.FAILED);
    }

    @Override
    public void indexSkipped(IndexDefinition index, SkipReason reason) {
        endIndex(index, Ending.of(reason));
    }

    private void endIndex(IndexDefinition index, Ending how) {
        indexes.remove(index.oid());
        if (ended.add("index:" + index.oid())) {
            indexEnds.add(how);
        }
    }

    @Override
    public void constraintStarted(ConstraintDefinition constraint) {
        constraints.put(constraint.oid(), new Started<>(constraint, clock.getAsLong()));
    }

    @Override
    public void constraintFinished(ConstraintDefinition constraint, Duration duration) {
        endConstraint(constraint, Ending.DONE);
    }

    @Override
    public void constraintFailed(ConstraintDefinition constraint, Throwable error) {
        endConstraint(constraint, Ending.FAILED);
    }

    @Override
    public void constraintSkipped(ConstraintDefinition constraint, SkipReason reason) {
        endConstraint(constraint, Ending.of(reason));
    }

    private void endConstraint(ConstraintDefinition constraint, Ending how) {
        constraints.remove(constraint.oid());
        if (ended.add("constraint:" + constraint.oid())) {
            constraintEnds.add(how);
        }
    }

    @Override
    public void vacuumStarted(QualifiedName table) {
        vacuums.put(table, new Started<>(table, clock.getAsLong()));
    }

    @Override
    public void vacuumFinished(QualifiedName table, Duration duration) {
        endVacuum(table, Ending.DONE);
    }

    @Override
    public void vacuumFailed(QualifiedName table, Throwable error) {
        endVacuum(table, Ending.FAILED);
    }

    @Override
    public void vacuumSkipped(QualifiedName table, SkipReason reason) {
        endVacuum(table, Ending.of(reason));
    }

    private void endVacuum(QualifiedName table, Ending how) {
        vacuums.remove(table);
        if (ended.add("vacuum:" + table)) {
            vacuumEnds.add(how);
        }
    }

    @Override
    public void phaseFinished(Phase p, Duration duration) {
        phase = null;
    }

    @Override
    public void phaseFailed(Phase p, Throwable error) {
        phase = null;
    }

    /** Whether the server's progress views have something to say and somebody looked lately. */
    boolean worthPolling() {
        long looking = Math.max(LOOKING_NANOS, Math.min(LOOKING_AT_MOST_NANOS, 2 * askedEvery));
        return (!indexes.isEmpty() || !vacuums.isEmpty()) && lastAsked != Long.MIN_VALUE
                && clock.getAsLong() - lastAsked < looking;
    }

    /** The index builds running now. */
    List<IndexDefinition> runningIndexes() {
        return indexes.values().stream().map(Started::unit).toList();
    }

    /** The tables being vacuumed now. */
    List<QualifiedName> runningVacuums() {
        return List.copyOf(vacuums.keySet());
    }

    /** What the target's progress views said at the last poll, by {@link #indexKey} and {@link #vacuumKey}. */
    void server(Map<String, JobProgress.ServerPhase> phases) {
        server = Map.copyOf(phases);
    }

    static String indexKey(IndexDefinition index) {
        return "index:" + index.oid();
    }

    static String vacuumKey(QualifiedName table) {
        return "vacuum:" + table;
    }

    /**
     * The progress now. {@code looking}: a caller shows it (the poller reads the server while somebody does), as
     * opposed to the periodic log line.
     */
    CopyProgress snapshot(boolean looking) {
        long now = clock.getAsLong();
        if (looking) {
            long previous = lastAsked;
            askedEvery = previous == Long.MIN_VALUE ? 0 : now - previous;
            lastAsked = now;
        }
        PlannedCopy p = plan;
        long streamed = finishedStreamed.get();
        double diskPerStreamed = streamed > 0 ? (double) finishedDisk.get() / streamed : 1.0;
        List<JobProgress> jobs = new ArrayList<>();
        double running = 0;
        List<Map.Entry<TablePart, Copying>> active = new ArrayList<>(copies.entrySet());
        active.sort(Comparator.comparingLong(e -> e.getValue().start()));
        for (Map.Entry<TablePart, Copying> e : active) {
            TablePart part = e.getKey();
            Copying c = e.getValue();
            double f = ProgressMath.partFraction(part, c.rows(), c.bytes(), diskPerStreamed);
            running += f * part.bytes();
            Duration elapsed = Duration.ofNanos(now - c.start());
            OptionalDouble fraction = OptionalDouble.of(f);
            jobs.add(new JobProgress(JobProgress.Kind.COPY, part.toString(), part.table().name(), elapsed, c.rows(),
                    c.bytes(), part.bytes(), ProgressMath.perSecond(c.bytes(), elapsed), fraction,
                    ProgressMath.eta(fraction, elapsed), Optional.empty()));
        }
        Map<String, JobProgress.ServerPhase> phases = server;
        indexes.values().stream().sorted(Comparator.comparingLong(Started::start)).forEach(s -> jobs.add(serverJob(
                JobProgress.Kind.INDEX, s.unit().name().toString(), s.unit().table(), now - s.start(),
                phases.get(indexKey(s.unit())))));
        constraints.values().stream().sorted(Comparator.comparingLong(Started::start)).forEach(s -> jobs.add(
                serverJob(JobProgress.Kind.CONSTRAINT, s.unit().name() + " on " + s.unit().table(), s.unit().table(),
                        now - s.start(), null)));
        vacuums.values().stream().sorted(Comparator.comparingLong(Started::start)).forEach(s -> jobs.add(serverJob(
                JobProgress.Kind.VACUUM, s.unit().toString(), s.unit(), now - s.start(),
                phases.get(vacuumKey(s.unit())))));
        long total = p == null ? 0 : p.bytes();
        long done = Math.min(total, endedBytes.get() + (long) running);
        double average = dataStart == 0 ? 0 : ProgressMath.perSecond(done, Duration.ofNanos(now - dataStart));
        double perSecond = dataStart == 0 ? 0 : rate.sample(now, done, average);
        // The data cannot be in before its slowest running COPY: at the end one long table often runs alone, slower
        // than all of them did together.
        Optional<Duration> slowest = jobs.stream().filter(j -> j.kind() == JobProgress.Kind.COPY)
                .flatMap(j -> j.eta().stream()).max(Comparator.naturalOrder());
        Optional<Duration> eta = p == null ? Optional.empty() : ProgressMath.eta(total - done, perSecond)
                .map(e -> slowest.filter(s -> s.compareTo(e) > 0).orElse(e));
        return new CopyProgress(Instant.now(), Optional.ofNullable(phase), Duration.ofNanos(now - start), done, total,
                perSecond, eta, jobs, p == null ? UnitCount.NONE : tableEnds.of(tables.size()),
                p == null ? UnitCount.NONE : indexEnds.of(p.indexes().size()),
                p == null ? UnitCount.NONE : constraintEnds.of(p.constraints().size()),
                p == null ? UnitCount.NONE : vacuumEnds.of(p.vacuums().size()));
    }

    private static JobProgress serverJob(JobProgress.Kind kind, String name, QualifiedName table, long nanos,
            JobProgress.ServerPhase phase) {
        Duration elapsed = Duration.ofNanos(nanos);
        Optional<JobProgress.ServerPhase> server = Optional.ofNullable(phase);
        OptionalDouble fraction = server.map(JobProgress.ServerPhase::fraction).orElse(OptionalDouble.empty());
        return new JobProgress(kind, name, table, elapsed, 0, 0, 0, 0, fraction, Optional.empty(), server);
    }
}
