package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyExecution;
import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyOptions;
import io.pgcopydb.CopyReport;
import io.pgcopydb.CopyStep;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.Strategy;
import io.pgcopydb.StrategyReport;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.internal.compare.Comparison;
import io.pgcopydb.internal.data.CopyFormats;
import io.pgcopydb.internal.data.DataPhase;
import io.pgcopydb.internal.data.LargeObjectCopier;
import io.pgcopydb.internal.data.SequenceCopier;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.PgTools;
import io.pgcopydb.internal.preflight.Preflight;
import io.pgcopydb.internal.run.ReportCollector;
import io.pgcopydb.internal.run.Run;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.schema.SchemaRestorer;
import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.internal.state.JournalEntry;
import io.pgcopydb.internal.state.JournalEntry.Kind;
import io.pgcopydb.internal.state.WorkDirectory;
import io.pgcopydb.internal.template.TemplateCopy;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.stage.PostDataFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one copy: the numbered steps of {@link Phase} in the seed's order, one method each; {@link #copy()} is the
 * table of contents. One instance per run, on the run's own thread ({@code pgcopydb-<run>-main}); the data step is
 * scheduled by {@link DataPhase}.
 */
public final class CopyEngine {
    private static final Logger LOG = LoggerFactory.getLogger(CopyEngine.class);
    /** The end-of-run summary tables go to their own logger, so a CLI printing them itself can mute it. */
    private static final Logger SUMMARY = LoggerFactory.getLogger("io.pgcopydb.summary");
    /** How often a long data step logs how far it is. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final Run run;
    private final CopyOptions options;
    private final CopyListener listener;
    private final ReportCollector report;
    private final StepRunner steps;
    private final Execution execution;
    private final StepSelection selection;
    private final SchemaSteps schema;
    private PgCopyException failure;
    /** Said after a failure or cancellation that left a resumable work directory; empty otherwise. */
    private volatile String resumeHint = "";
    /** What to do after a failure: continue with resume() when the work directory allows it, or run again. */
    private volatile String next = RunProblems.RUN_AGAIN;
    /** Whether this run wrote to the target: steps run alone refused before it have nothing to resume. */
    private volatile boolean wrote;

    private CopyEngine(CopyOptions options) {
        this.run = new Run(UUID.randomUUID().toString().substring(0, 8), options);
        this.options = options;
        this.listener = run.listener();
        this.report = run.report();
        this.steps = new StepRunner(run);
        this.execution = new Execution(run);
        this.selection = StepSelection.of(options);
        this.schema = new SchemaSteps(steps, selection, options);
    }

    /** Starts a copy of {@code options} on a thread of its own; its time limit, if any, runs from now. */
    public static CopyExecution start(CopyOptions options) {
        CopyEngine engine = new CopyEngine(options);
        options.timeout().ifPresent(limit -> engine.run.threads().schedule(limit,
                () -> LOG.warn("{}: cancelling it", engine.run.control().timeOut(limit))));
        engine.run.threads().start("main", engine::runAndSettle);
        return engine.execution;
    }

    /** The seed's steps, in order; each returns what the later ones need. */
    private CopyReport.Status copy() throws Exception {
        long start = System.nanoTime();
        Claimed claimed = preflight();                                                  // 1
        if (claimed.workDirectory() == null) {
            return TemplateFinish.finish(run, steps, claimed.template());   // made by CREATE DATABASE … TEMPLATE
        }
        WorkDirectory workDir = claimed.workDirectory();
        boolean succeeded = false;
        try (Journal journal = openJournal(workDir)) {
            run.activity().attach(workDir.path(), run.id(), options.resume());
            RunContext context = new RunContext(run, workDir.path(), claimed.tools(), journal);
            EarlyDump dump = new EarlyDump(options, run.threads(), selection.needsSchemaDump()
                    && !(selection.alone() && java.nio.file.Files.isRegularFile(earlierDump(workDir.path()))),
                    selection.writes());
            try (SourceState source = readSource(context, dump)) {                      // 2
                RunContext ctx = source.context();
                Path archive = dumpSchema(ctx, source, dump);                                   // 3
                if (selection.writes()) {
                    // The first write follows: from here on the journal makes the run resumable.
                    journal.record(new JournalEntry.RunStarted(run.id(), Instant.now(),
                            WorkDirectory.pairKey(options.source(), options.target())));
                    wrote = true;
                    SchemaRestorer restorer = new SchemaRestorer(ctx, archive, source.filter(), dump.toc(archive));
                    schema.prepare(ctx, restorer, source);                              // 4
                    PostDataFilter.Built built = copyData(ctx, source);                 // 5
                    steps.checkContinue();
                    resetSequences(ctx, source.catalog());                              // 6
                    copyLargeObjects(ctx, source.catalog());                            // 7
                    source.releaseSnapshotUnless(options.verify());
                    steps.checkContinue();
                    // continueOnError(): no post-data around missing rows; the resumed run finishes it.
                    if (steps.noHolesInData()) {
                        schema.finish(ctx, restorer, built, source);                    // 8
                        verify(ctx, source);                                            // 9
                    }
                }
            }
            LOG.info("All steps are now done, {} ms elapsed", (System.nanoTime() - start) / 1_000_000);
            succeeded = finish(journal);
            return succeeded ? CopyReport.Status.SUCCEEDED : CopyReport.Status.FAILED;
        } finally {
            leave(workDir, succeeded);
        }
    }

    /** What preflight hands on: the claimed work directory and the client tools, or the template copy's session. */
    private record Claimed(WorkDirectory workDirectory, PgTools tools, TemplateCopy.Outcome template) {
    }

    /**
     * Step 1: the strategy first (the template path makes the copy here: no work directory then), else servers,
     * tools, privileges, an empty target and a usable work directory, before any write.
     */
    private Claimed preflight() {
        return steps.run(Phase.PREFLIGHT, () -> {
            TemplateCopy.Outcome outcome = TemplateCopy.run(options, report::warning,
                    r -> run.threads().start("connect", r));
            StrategyReport strategy = outcome.strategy();
            report.strategy(strategy);
            listener.strategyChosen(strategy.strategy(), strategy.reason());
            if (strategy.strategy() == Strategy.TEMPLATE) {
                return new Claimed(null, null, outcome);
            }
            WorkDirectory.Claim claim = WorkDirectory.claim(options);
            try {
                Preflight.Result result = Preflight.check(options, System.getenv(), claim.problem().stream()
                        .toList(), report::versions, claim.directory().map(d -> selection.targetRule(d.path()))
                        .orElse(Preflight.TargetRule.EMPTY), r -> run.threads().start("connect", r));
                report.warnings(result.warnings());
                return new Claimed(claim.directory().orElseThrow(), result.tools(), null);
            } catch (RuntimeException e) {
                // Nothing was written: a default directory that holds no earlier copy goes away again.
                claim.directory().ifPresent(wd -> {
                    if (Journal.exists(wd.path())) {
                        wd.keep();
                    } else {
                        wd.discard();
                    }
                });
                throw e;
            }
        });
    }

    private Journal openJournal(WorkDirectory workDir) {
        if (selection.alone() && !options.restart()) {
            return Journal.resume(workDir.path());                  // steps alone continue the earlier steps' journal
        }
        if (!options.resume()) {
            return Journal.startOver(workDir.path());
        }
        Journal journal = Journal.resume(workDir.path());
        LOG.info("Resuming the copy recorded in {}: {} units already finished", workDir.path(),
                Journal.unitsFinished(journal.previous()));
        return journal;
    }

    /**
     * Step 2: the snapshot, the catalog and the filter read in it, the plan (steps run alone: what they need of
     * the earlier steps checked); announced to the listener.
     */
    private SourceState readSource(RunContext context, EarlyDump dump) {
        SourceState source;
        try {
            source = steps.run(Phase.CATALOG, () -> StepPrerequisites.checked(selection,
                    SourceState.read(context, dump::start)));
        } catch (RuntimeException | Error e) {
            dump.abandon();
            throw e;
        }
        listener.copyPlanned(selection.restrict(source.planned()));
        return source;
    }

    /**
     * Step 3: pg_dump of the pre- and post-data sections, in the snapshot; steps run alone reuse the one an earlier
     * step left, and a run of no step writes the restore lists beside it.
     */
    private Path dumpSchema(RunContext ctx, SourceState source, EarlyDump dump) {
        Path earlier = earlierDump(ctx.workDirectory());
        if (!selection.needsSchemaDump()) {
            return earlier;                                         // no step restores from it
        }
        return steps.run(Phase.DUMP_SCHEMA, () -> {
            // Steps run alone share one dump, as pgcopydb's: the first that needs it dumps it.
            // (The early dump writes that file: once started, it is the one taken.)
            boolean reuse = !dump.started() && selection.alone() && java.nio.file.Files.isRegularFile(earlier);
            if (reuse) {
                LOG.info("Using the schema dump of the earlier steps: {}", earlier);
            }
            Path archive = reuse ? earlier : dump.take(ctx);            // started in step 2 (EarlyDump)
            if (!selection.writes()) {
                schema.writeLists(ctx, archive, source);
            }
            return archive;
        });
    }

    private static Path earlierDump(Path workDirectory) {
        return workDirectory.resolve(SchemaSteps.ARCHIVE);
    }

    /** Step 5: COPY, indexes, constraints and VACUUM, per table by dependency. */
    private PostDataFilter.Built copyData(RunContext ctx, SourceState source) {
        if (!selection.runsData()) {
            return new PostDataFilter.Built(java.util.Set.of(), java.util.Set.of());
        }
        return steps.run(Phase.COPY_DATA, () -> {
            try (AutoCloseable progress = run.followProgress(PROGRESS_EVERY, ctx::openTarget)) {
                // The target's tables exist now: both catalogs can say which tables may be binary.
                RunContext data = CopyFormats.choose(ctx, source.plan());
                return new DataPhase(data, source.catalog(), source.plan()).run();
            }
        });
    }

    /** Step 6: every sequence set to its value in the snapshot. */
    private void resetSequences(RunContext ctx, SourceCatalog catalog) {
        if (!selection.runs(CopyStep.SEQUENCES)) {
            return;
        }
        steps.run(Phase.SEQUENCES, () -> {
            int count = catalog.sequences().size();
            listener.sequencesStarted(count);
            long t = System.nanoTime();
            try {
                // Setting values again is harmless: a lost connection is retried like any unit.
                run.retrier().call(Phase.SEQUENCES, "sequences", attempt -> {
                    SequenceCopier.copy(catalog.sequences(), ctx);
                    return null;
                });
            } catch (Exception e) {
                listener.sequencesFailed(e);
                throw e;
            }
            report.sequences(count);
            listener.sequencesFinished(count, Duration.ofNanos(System.nanoTime() - t));
            return null;
        });
    }

    /** Step 7: large objects, inside the snapshot. */
    private void copyLargeObjects(RunContext ctx, SourceCatalog catalog) {
        if (!selection.runs(CopyStep.LARGE_OBJECTS) || catalog.largeObjects() == 0 || options.skipLargeObjects()
                || options.filters().leavesOutLargeObjects()) {
            return;
        }
        steps.run(Phase.LARGE_OBJECTS, () -> {
            JournalEntry done = JournalUnits.once(ctx.journal(), Kind.LARGE_OBJECTS, "Large objects", () -> {
                listener.largeObjectsStarted(catalog.largeObjects());
                long t = System.nanoTime();
                LargeObjectCopier.Copied copied;
                try {
                    // The copier compares with the target first, so an attempt after a lost connection only
                    // writes what is missing or different.
                    copied = run.retrier().call(Phase.LARGE_OBJECTS, "large objects",
                            attempt -> LargeObjectCopier.copy(ctx));
                } catch (Exception e) {
                    listener.largeObjectsFailed(e);
                    throw e;
                }
                listener.largeObjectsFinished(copied.count(), copied.bytes(), Duration.ofNanos(System.nanoTime() - t));
                return new JournalEntry.LargeObjectsCopied(copied.count(), copied.bytes());
            });
            JournalEntry.LargeObjectsCopied copied = (JournalEntry.LargeObjectsCopied) done;
            report.largeObjects(copied.count(), copied.bytes());
            return null;
        });
    }

    /**
     * Step 9, with {@code verify()}: the target compared with the source within the filter, the data read in the
     * copy's snapshot (and the sequences as the copy read them); any difference fails the run.
     */
    private void verify(RunContext ctx, SourceState source) {
        if (!options.verify()) {
            return;
        }
        steps.run(Phase.VERIFY, () -> {
            CompareReport comparison = Comparison.run(VerifyRequest.of(options, ctx.snapshotId(),
                    source.catalog().sequences()));
            report.verified(comparison);
            LOG.info("Verified: {}", comparison.summaryLine());
            if (!comparison.isIdentical()) {
                throw RunProblems.verifyFailed(comparison);
            }
            return null;
        });
        source.releaseSnapshot();
    }

    /** A run with no failure is recorded as finished: a resume of it is refused. */
    private boolean finish(Journal journal) {
        if (report.hasFailures()) {
            return false;
        }
        if (selection.alone()) {
            return true;                                            // the later steps continue this journal
        }
        journal.record(new JournalEntry.CopyFinished(run.id(), Instant.now()));
        return true;
    }

    /**
     * Releases the work directory. A run that did not succeed keeps it when it can be resumed (its journal has
     * the run line, written just before the first write to the target) or when the caller named it.
     */
    private void leave(WorkDirectory workDir, boolean succeeded) {
        run.activity().detach();
        boolean journaled = Journal.exists(workDir.path());
        boolean resumable = !succeeded && journaled && (wrote || !selection.alone());
        if (!succeeded && (journaled || !workDir.isTemporary())) {
            LOG.info("work directory kept: {}", workDir.path());
            if (resumable) {
                next = "continue with resume() and notConsistent()" + (!options.defaultWorkDirectory()
                        ? ", passing workDirectory(" + workDir.path() + ") again" : "");
                resumeHint = "; the work directory " + workDir.path() + " keeps what was finished: " + next;
            }
        }
        // Steps run alone keep their directory whatever happens: the next steps read it.
        if (resumable || !workDir.isTemporary() || selection.alone()) {
            report.workDirectoryKept(workDir.path(), resumable);
        }
        // A default directory with nothing to resume is removed, so it does not block the next run.
        if (!selection.alone() && (succeeded || !journaled)) {
            workDir.discard();
        } else {
            workDir.keep();
        }
    }

    /** The body of the run's thread: runs the steps, then settles the report, the exception and the listener. */
    private void runAndSettle() {
        listener.runStarted(run.id(), options);
        CopyReport.Status status = CopyReport.Status.FAILED;
        try {
            status = copy();
        } catch (PgCopyException e) {
            failure = RunProblems.settle(e, resumeHint, next, report.versions());
            status = run.control().isCancelled() ? CopyReport.Status.CANCELLED : CopyReport.Status.FAILED;
        } catch (Throwable e) {
            failure = PgCopyException.builder(ErrorCode.INTERNAL, "unexpected error: " + Errors.message(e))
                    .sqlState(Errors.sqlState(e).orElse(null)).cause(e).build();
        } finally {
            run.threads().close();
            run.sourceSessions().close();
            run.targetSessions().close();
            run.skipUnreachedUnits();
            CopyReport r = report.build(status);
            if (failure == null && status != CopyReport.Status.SUCCEEDED) {
                // The steps ran to the end with failures (continueOnError): one problem per failure.
                failure = RunProblems.settle(PgCopyException.builder(ErrorCode.COPY_FAILED,
                        StepRunner.failureSummary(r)).problems(RunProblems.failures(r.failures(), run.control()))
                        .phase(report.firstFailurePhase().orElse(steps.current())).build(), resumeHint, next,
                        report.versions());
            }
            if (failure != null) {
                failure = failure.withReport(r);
            }
            logSummary(r);
            listener.runFinished(r);
            execution.complete(r, failure);
        }
    }

    private void logSummary(CopyReport r) {
        if (!r.tables().isEmpty()) {
            SUMMARY.info("Printing summary for {} tables and {} indexes\n{}\n{}", r.tables().size(), r.indexes().size(),
                    r.summaryTable(), r.stepTable());
        }
    }
}
