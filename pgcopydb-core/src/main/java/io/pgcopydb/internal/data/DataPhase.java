package io.pgcopydb.internal.data;

import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyOptions;
import io.pgcopydb.CopyStep;
import io.pgcopydb.ObjectReport;
import io.pgcopydb.Outcome;
import io.pgcopydb.Phase;
import io.pgcopydb.SkipReason;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.run.PriorityPool;
import io.pgcopydb.internal.run.ReportCollector;
import io.pgcopydb.internal.run.Retrier;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.run.RunThreads;
import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.internal.state.JournalEntry.ConstraintAttached;
import io.pgcopydb.internal.state.JournalEntry.IndexBuilt;
import io.pgcopydb.internal.state.JournalEntry.Kind;
import io.pgcopydb.internal.state.JournalEntry.PartCopied;
import io.pgcopydb.model.ConstraintDefinition;
import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.stage.PostDataFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data step, scheduled by dependency: table parts on the copy jobs, largest first; when all of a table's parts
 * are in, its indexes in parallel on the index jobs; when built, its constraints one after the other; then {@code
 * VACUUM ANALYZE} on the vacuum jobs; foreign keys once both their tables are complete ({@link EarlyForeignKeys}).
 * The first failure stops new work unless the caller asked to continue.
 */
public final class DataPhase {
    private static final Logger LOG = LoggerFactory.getLogger(DataPhase.class);

    private final RunContext context;
    private final CopyOptions options;
    private final CopyListener listener;
    private final ReportCollector report;
    private final Retrier retrier;
    private final Journal journal;
    private final SourceCatalog catalog;
    private final CopyPlan plan;
    private final Set<Long> builtIndexes = ConcurrentHashMap.newKeySet();
    private final Set<Long> builtConstraints = ConcurrentHashMap.newKeySet();
    private final TableVacuum vacuums;

    /** The data step of the run of {@code context}, for {@code catalog} as {@code plan} orders it. */
    public DataPhase(RunContext context, SourceCatalog catalog, CopyPlan plan) {
        this.context = context;
        this.options = context.options();
        this.listener = context.run().listener();
        this.report = context.run().report();
        this.retrier = context.run().retrier();
        this.journal = context.journal();
        this.catalog = catalog;
        this.plan = plan;
        this.vacuums = new TableVacuum(context, this::fail);
    }

    /** Whether the run makes {@code step}: a run of named steps leaves the others' units alone (no event). */
    private boolean runs(CopyStep step) {
        return options.steps().map(s -> s.contains(step)).orElse(true);
    }

    /**
     * Runs every table to the end (done, failed or skipped) and returns what was built. A resumed run first takes
     * off the tables it copies again what an earlier post-data restore put on them ({@link PostDataRollback}).
     */
    public PostDataFilter.Built run() throws Exception {
        PostDataRollback.beforeData(context, plan);
        RunThreads threads = context.run().threads();
        ExecutorService copyPool = threads.pool("copy", options.jobs());
        PriorityPool indexPool = threads.priorityPool("index", options.indexJobs());
        // Constraints have their own lane: attaching one to its built index takes a moment, and must not wait for
        // a free index job behind another table's long build (nor hold up that table's VACUUM meanwhile).
        ExecutorService constraintPool = threads.pool("constraint", options.indexJobs());
        ExecutorService vacuumPool = threads.pool("vacuum", options.vacuumJobs());
        Map<SourceTable, List<TablePart>> partsByTable = new java.util.LinkedHashMap<>();
        plan.parts().forEach(p -> partsByTable.computeIfAbsent(p.table(), t -> new ArrayList<>()).add(p));
        ExecutorService keyPool = threads.pool("foreign-key", 1);
        // The index builds' expected costs and the foreign keys are read on the keys' lane while the first COPYs
        // start (two source queries, ~50 ms of both cores idle before). Neither read fails: each has its default.
        CompletableFuture<IndexCosts> costs = CompletableFuture.supplyAsync(() -> IndexCosts.read(context,
                runs(CopyStep.INDEXES) ? plan.tables() : List.of(), catalog), keyPool)
                .exceptionally(e -> new IndexCosts(Map.of()));
        CompletableFuture<List<EarlyForeignKeys.ForeignKey>> keys = CompletableFuture.supplyAsync(() ->
                EarlyForeignKeys.read(context, partsByTable.keySet()), keyPool).exceptionally(e -> List.of());
        CompletableFuture<OptionalLong> tempFileLimit = IndexSortMemory.tempFileLimit(context, plan.tables(), keyPool);
        Lanes lanes = new Lanes(copyPool, indexPool, constraintPool, vacuumPool, costs::join,
                new IndexWorkers(partsByTable.size() + catalog.schemaOnlyTables().size(), tempFileLimit::join));
        try {
            Map<Long, CompletableFuture<Boolean>> chains = new java.util.LinkedHashMap<>();
            partsByTable.forEach((table, parts) -> chains.put(table.oid(), schedule(table, parts, lanes)));
            catalog.schemaOnlyTables().forEach(t -> chains.put(t.oid(), schedule(t, List.of(), lanes)));
            List<CompletableFuture<?>> tables = new ArrayList<>(chains.values());
            // A chain already complete by now is taken as it is: the key's future waits on both tables' chains.
            tables.addAll(EarlyForeignKeys.schedule(context, keys.join(), partsByTable.keySet(), chains::get,
                    keyPool, builtIndexes, builtConstraints, this::fail));
            CompletableFuture.allOf(tables.toArray(CompletableFuture[]::new)).join();
        } finally {
            RunThreads.shutdown(copyPool);
            RunThreads.shutdown(indexPool);
            RunThreads.shutdown(constraintPool);
            RunThreads.shutdown(vacuumPool);
            RunThreads.shutdown(keyPool);
        }
        return new PostDataFilter.Built(builtIndexes, builtConstraints);
    }

    /**
     * The pools of the data step: copies, index builds (small tables' first, then the costliest), constraints,
     * vacuums; and what orders the index builds and gives them parallel workers.
     */
    private record Lanes(ExecutorService copy, PriorityPool index, ExecutorService constraint,
            ExecutorService vacuum, Supplier<IndexCosts> costs, IndexWorkers workers) {
    }

    /** The chain of {@code table}'s work; its value: whether the table is complete (rows, indexes, constraints). */
    private CompletableFuture<Boolean> schedule(SourceTable table, List<TablePart> parts, Lanes lanes) {
        // Without the table-data step, an earlier run copied the rows (StepPrerequisites checked it).
        List<CompletableFuture<Boolean>> copies = !runs(CopyStep.TABLE_DATA) ? List.of()
                : SplitTableCopy.appliesTo(parts)
                ? List.of(new SplitTableCopy(context, parts, this::fail).copy(lanes.copy()))
                : parts.stream().map(p -> CompletableFuture.supplyAsync(() -> copyPart(p), lanes.copy())).toList();
        List<IndexDefinition> indexes = catalog.indexesOf(table);
        // VACUUM/ANALYZE before the builds (not beside: its lock conflicts with theirs), unless ANALYZE samples an
        // index's expressions (TableMaintenance): a big table's ANALYZE then never ends the copy alone on one core.
        boolean maintained = !options.skipVacuum() && !parts.isEmpty() && runs(CopyStep.VACUUM);
        boolean first = maintained && !TableMaintenance.needsIndexes(indexes);
        CompletableFuture<Boolean> ready = !first ? allTrue(copies) : allTrue(copies).thenApplyAsync(copied ->
                vacuums.vacuumOrSkip(table, parts.size() == 1, copied, this::notDone), lanes.vacuum());
        CompletableFuture<Boolean> indexed = ready.thenCompose(copied -> {
            if (!copied) {
                SkipReason reason = context.isCancelled() ? SkipReason.CANCELLED : SkipReason.DEPENDENCY_NOT_DONE;
                indexes.stream().filter(IndexDefinition::builtSeparately).forEach(i -> skipped(i, reason));
                lanes.workers().copied();
                return CompletableFuture.completedFuture(false);
            }
            List<IndexDefinition> builds = lanes.costs().get().costliestFirst(table,
                    indexes.stream().filter(IndexDefinition::builtSeparately).toList());
            long[] costs = builds.stream().mapToLong(i -> lanes.costs().get().cost(table, i)).toArray();
            lanes.workers().copied(costs);
            // Whether a build may use parallel workers (and its sort memory) is decided as it starts.
            return allTrue(IntStream.range(0, costs.length).mapToObj(k -> lanes.index().supply(
                    IndexCosts.priority(table, costs[k]), lanes.workers().counted(costs[k], () -> buildIndex(builds
                            .get(k), lanes.workers().contextFor(context, costs[k], builds.get(k), table))))).toList());
        });
        CompletableFuture<Boolean> constrained = indexed.thenApplyAsync(ok -> attachConstraints(ok, indexes),
                lanes.constraint());
        return constrained.thenApplyAsync(ok -> {
            // An empty table (no parts: its rows are filtered out) has nothing to vacuum.
            if (maintained && !first) {
                vacuums.vacuumOrSkip(table, parts.size() == 1, ok, this::notDone);
            }
            if (ok) {
                LOG.info("{}: {}", table.name(), report.tableSummary(table.oid()));
            }
            return ok;
        }, lanes.vacuum());
    }

    private boolean copyPart(TablePart part) {
        if (context.isStopping()) {
            listener.tableCopySkipped(part, stopped());
            return false;
        }
        Optional<PartCopied> earlier = journal.partCopied(part.table().oid(), part.number());
        if (earlier.isPresent()) {
            report.partCopied(part.table(), earlier.get().rows(), earlier.get().bytes(), Duration.ZERO);
            LOG.debug("COPY {} was done by the interrupted run, skipped", part);
            listener.tableCopySkipped(part, SkipReason.ALREADY_DONE);
            return true;
        }
        listener.tableCopyStarted(part);
        long start = System.nanoTime();
        try {
            // A whole table's COPY runs in one transaction with its TRUNCATE: a retry redoes it from scratch.
            // A part split by key whose earlier attempt may have committed unseen (crash or lost acknowledgement)
            // has its range emptied first. The rest of the table is never touched. (Parts split by pages are
            // SplitTableCopy's.)
            CopyStreamer.CopyResult r = retrier.call(Phase.COPY_DATA, part.toString(), attempt -> {
                if (part.split() == TablePart.Split.BY_VALUE && mayHaveCommitted(attempt)) {
                    TargetState.execute(context, List.of("DELETE FROM ONLY " + part.table().name().quoted() + " WHERE "
                            + part.predicate().orElseThrow()));
                }
                return options.copyStreamer().copy(part, context,
                        (rows, bytes) -> listener.tableCopyProgress(part, rows, bytes));
            });
            Duration d = Duration.ofNanos(System.nanoTime() - start);
            journal.record(new PartCopied(part.table().oid(), part.number(), r.rows(), r.bytes()));
            report.partCopied(part.table(), r.rows(), r.bytes(), d);
            listener.tableCopyFinished(part, r.rows(), r.bytes(), d);
            return true;
        } catch (Throwable e) {
            if (context.isCancelled()) {
                listener.tableCopySkipped(part, SkipReason.CANCELLED);
            } else {
                report.partFailed(part.table());
                fail("COPY " + part, e);
                listener.tableCopyFailed(part, e);
            }
            return false;
        }
    }

    /**
     * Whether an earlier attempt at a unit may have committed without our knowing: this run's previous attempt
     * (its acknowledgement lost with the connection), or the interrupted run's (its journal line lost with it).
     */
    private boolean mayHaveCommitted(int attempt) {
        return attempt > 1 || options.resume();
    }

    private boolean buildIndex(IndexDefinition index, RunContext builder) {
        if (!runs(CopyStep.INDEXES)) {
            if (journal.isFinished(Kind.INDEX, index.oid())) {
                builtIndexes.add(index.oid());
            }
            return true;
        }
        if (context.isStopping()) {
            skipped(index, stopped());
            return false;
        }
        if (journal.isFinished(Kind.INDEX, index.oid())) {
            builtIndexes.add(index.oid());
            report.object(new ObjectReport(ObjectReport.Kind.INDEX, index.oid(), index.name(), index.table(),
                    Outcome.DONE, Optional.empty(), Duration.ZERO));
            listener.indexSkipped(index, SkipReason.ALREADY_DONE);
            return true;
        }
        listener.indexStarted(index);
        long start = System.nanoTime();
        try {
            // A lost connection may have taken the commit's acknowledgement, not the commit: look before rebuilding.
            // A resumed run may find it built, its journal line lost with the crash.
            String sql = retrier.call(Phase.COPY_DATA, "index " + index.name(), attempt -> mayHaveCommitted(attempt)
                    && TargetState.indexExists(context, index) ? null : options.indexBuilder().build(index, builder));
            Duration d = Duration.ofNanos(System.nanoTime() - start);
            journal.record(new IndexBuilt(index.oid(), index.name().toString()));
            builtIndexes.add(index.oid());
            report.indexBuilt(index.tableOid(), d);
            report.object(new ObjectReport(ObjectReport.Kind.INDEX, index.oid(), index.name(), index.table(),
                    Outcome.DONE, Optional.ofNullable(sql), d));
            listener.indexFinished(index, d);
            return true;
        } catch (Throwable e) {
            boolean cancelled = context.isCancelled();
            report.object(new ObjectReport(ObjectReport.Kind.INDEX, index.oid(), index.name(), index.table(),
                    cancelled ? Outcome.SKIPPED : Outcome.FAILED, Optional.of(index.definition()),
                    Duration.ofNanos(System.nanoTime() - start)));
            if (cancelled) {
                listener.indexSkipped(index, SkipReason.CANCELLED);
            } else {
                fail("index " + index.name(), e);
                listener.indexFailed(index, e);
            }
            return false;
        }
    }

    /** Constraints of one table, one after the other: ALTER TABLE takes an exclusive lock anyway. */
    private boolean attachConstraints(boolean indexesOk, List<IndexDefinition> indexes) {
        if (!runs(CopyStep.CONSTRAINTS)) {
            for (IndexDefinition index : indexes) {
                index.constraint().filter(c -> journal.isFinished(Kind.CONSTRAINT, c.oid())).ifPresent(c -> {
                    builtConstraints.add(c.oid());
                    builtIndexes.add(index.oid());
                });
            }
            return indexesOk;
        }
        boolean ok = indexesOk;
        for (IndexDefinition index : indexes) {
            if (index.constraint().isEmpty()) {
                continue;
            }
            ConstraintDefinition c = index.constraint().get();
            if (ok && journal.isFinished(Kind.CONSTRAINT, c.oid())) {
                builtConstraints.add(c.oid());
                builtIndexes.add(index.oid());
                report.object(constraintReport(c, Outcome.DONE, Optional.empty(), Duration.ZERO));
                listener.constraintSkipped(c, SkipReason.ALREADY_DONE);
                continue;
            }
            if (!ok || context.isStopping() || (c.usesPrebuiltIndex() && !builtIndexes.contains(index.oid()))) {
                report.object(constraintReport(c, Outcome.SKIPPED, Optional.empty(), Duration.ZERO));
                listener.constraintSkipped(c, notDone());
                ok = false;
                continue;
            }
            listener.constraintStarted(c);
            long start = System.nanoTime();
            try {
                String sql = retrier.call(Phase.COPY_DATA, "constraint " + c.name() + " on " + c.table(),
                        attempt -> mayHaveCommitted(attempt) && TargetState.constraintExists(context, c) ? null
                                : options.constraintAttacher().attach(c, context));
                Duration d = Duration.ofNanos(System.nanoTime() - start);
                journal.record(new ConstraintAttached(c.oid(), c.table() + " " + c.name()));
                builtConstraints.add(c.oid());
                if (!c.usesPrebuiltIndex()) {
                    builtIndexes.add(index.oid());
                }
                report.object(constraintReport(c, Outcome.DONE, Optional.ofNullable(sql), d));
                listener.constraintFinished(c, d);
            } catch (Throwable e) {
                boolean cancelled = context.isCancelled();
                report.object(constraintReport(c, cancelled ? Outcome.SKIPPED : Outcome.FAILED,
                        Optional.empty(), Duration.ofNanos(System.nanoTime() - start)));
                if (cancelled) {
                    listener.constraintSkipped(c, SkipReason.CANCELLED);
                } else {
                    fail("constraint " + c.name() + " on " + c.table(), e);
                    listener.constraintFailed(c, e);
                }
                ok = false;
            }
        }
        return ok && IndexProperties.restore(context, indexes, this::fail);
    }

    /** An index the index jobs did not build; its constraint, if any, is settled by attachConstraints. */
    private void skipped(IndexDefinition index, SkipReason reason) {
        report.object(new ObjectReport(ObjectReport.Kind.INDEX, index.oid(), index.name(), index.table(),
                Outcome.SKIPPED, Optional.empty(), Duration.ZERO));
        listener.indexSkipped(index, reason);
    }

    /** Why work is not scheduled any more: the run was cancelled, or stopped after a failure. */
    private SkipReason stopped() {
        return context.isCancelled() ? SkipReason.CANCELLED : SkipReason.RUN_STOPPED;
    }

    /** Why a unit whose prerequisite was not done is skipped: the run stopping, or that prerequisite. */
    private SkipReason notDone() {
        return context.isStopping() ? stopped() : SkipReason.DEPENDENCY_NOT_DONE;
    }

    private static ObjectReport constraintReport(ConstraintDefinition c, Outcome outcome, Optional<String> sql,
            Duration d) {
        return new ObjectReport(ObjectReport.Kind.CONSTRAINT, c.oid(),
                new io.pgcopydb.model.QualifiedName(c.table().schema(), c.name()), c.table(), outcome, sql, d);
    }

    /** Records a failure of {@code object} (not while cancelled: callers report that as a skip). */
    private void fail(String object, Throwable e) {
        String message = Errors.message(e);
        LOG.warn("{} failed: {}", object, message);
        report.failure(Phase.COPY_DATA, object, Errors.sqlState(e), message);
        if (!options.continueOnError()) {
            context.run().control().stopScheduling();
        }
    }

    private static CompletableFuture<Boolean> allTrue(List<CompletableFuture<Boolean>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().allMatch(CompletableFuture::join));
    }
}
