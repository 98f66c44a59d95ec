package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyExecution;
import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyOptions;
import io.pgcopydb.CopyReport;
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
import io.pgcopydb.internal.schema.DatabaseProperties;
import io.pgcopydb.internal.schema.DatabaseSettings;
import io.pgcopydb.internal.schema.ExtensionConfigCopier;
import io.pgcopydb.internal.schema.RoleCopier;
import io.pgcopydb.internal.schema.SchemaRestorer;
import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.internal.state.JournalEntry.Kind;
import io.pgcopydb.internal.state.JournalEntry;
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
    private PgCopyException failure;
    /** Said after a failure or cancellation that left a resumable work directory; empty otherwise. */
    private volatile String resumeHint = "";
    /** What to do after a failure: continue with resume() when the work directory allows it, or run again. */
    private volatile String next = RunProblems.RUN_AGAIN;

    private CopyEngine(CopyOptions options) {
        this.run = new Run(UUID.randomUUID().toString().substring(0, 8), options);
        this.options = options;
        this.listener = run.listener();
        this.report = run.report();
        this.steps = new StepRunner(run);
        this.execution = new Execution(run);
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
            try (SourceState source = readSource(context)) {                            // 2
                RunContext ctx = source.context();
                Path archive = dumpSchema(ctx);                                         // 3
                // The first write follows: from here on the journal makes the run resumable.
                journal.record(new JournalEntry.RunStarted(run.id(), Instant.now(),
                        WorkDirectory.pairKey(options.source(), options.target())));
                SchemaRestorer restorer = new SchemaRestorer(ctx, archive, source.filter());
                prepareSchema(ctx, restorer, source);                                   // 4
                PostDataFilter.Built built = copyData(ctx, source);                     // 5
                steps.checkContinue();
                resetSequences(ctx, source.catalog());                                  // 6
                copyLargeObjects(ctx, source.catalog());                                // 7
                source.releaseSnapshotUnless(options.verify());
                steps.checkContinue();
                // continueOnError(): no post-data around missing rows; the resumed run finishes it.
                if (steps.noHolesInData()) {
                    finalizeSchema(ctx, restorer, built, source);                       // 8
                    verify(ctx, source);                                                // 9
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
                        .toList(), report::versions);
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
        if (!options.resume()) {
            return Journal.startOver(workDir.path());
        }
        Journal journal = Journal.resume(workDir.path());
        LOG.info("Resuming the copy recorded in {}: {} units already finished", workDir.path(),
                Journal.unitsFinished(journal.previous()));
        return journal;
    }

    /** Step 2: the snapshot, the catalog and the filter read in it, the plan; announced to the listener. */
    private SourceState readSource(RunContext context) {
        SourceState source = steps.run(Phase.CATALOG, () -> SourceState.read(context));
        listener.copyPlanned(source.planned());
        return source;
    }

    /** Step 3: pg_dump of the pre- and post-data sections, in the snapshot. */
    private Path dumpSchema(RunContext ctx) {
        return steps.run(Phase.DUMP_SCHEMA, () -> options.schemaDumper().dump(ctx));
    }

    /** Step 4: roles, pre-data, extensions' configuration; checks first what a skipped object needs. */
    private void prepareSchema(RunContext ctx, SchemaRestorer restorer, SourceState source) {
        steps.run(Phase.PREPARE_SCHEMA, () -> JournalUnits.once(ctx.journal(), Kind.PRE_DATA, "Pre-data", () -> {
            // Reads only, so a missing extension or collation stops the copy before anything is written.
            restorer.checkPrerequisites();
            if (options.roles()) {
                RoleCopier.copy(ctx);
            }
            // A resumed run whose pre-data did not finish replaces what the interrupted one restored.
            restorer.restorePreData(source.catalog(), replacing());
            if (!options.skipExtensions()) {
                ExtensionConfigCopier.copy(ctx, source.filter());
            }
            return new JournalEntry.PreDataRestored();
        }));
    }

    /** Step 5: COPY, indexes, constraints and VACUUM, per table by dependency. */
    private PostDataFilter.Built copyData(RunContext ctx, SourceState source) {
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
        if (catalog.largeObjects() == 0 || options.skipLargeObjects() || options.filters().leavesOutLargeObjects()) {
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
     * Step 8: post-data minus what the engine built (event triggers last), then the database's comment, privileges
     * and settings, the run's last writes.
     */
    private void finalizeSchema(RunContext ctx, SchemaRestorer restorer, PostDataFilter.Built built,
            SourceState source) {
        steps.run(Phase.FINALIZE_SCHEMA, () -> {
            JournalUnits.once(ctx.journal(), Kind.POST_DATA, "Post-data", () -> {
                // Resumed: what an interrupted post-data restore created is dropped and created again.
                restorer.restorePostData(options.postDataFilter(), built, replacing());
                return new JournalEntry.PostDataRestored();
            });
            DatabaseProperties.apply(ctx, source.database());
            // Last: settings such as default_transaction_read_only or default_tablespace must not apply to our
            // own sessions while they build the copy.
            if (!options.skipDbProperties()) {
                DatabaseSettings.apply(ctx, source.settings());
            }
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

    /** dropIfExists, or a resumed run replacing what an interrupted pre- or post-data restore left. */
    private boolean replacing() {
        return options.dropIfExists() || options.resume();
    }

    /** A run with no failure is recorded as finished: a resume of it is refused. */
    private boolean finish(Journal journal) {
        if (report.hasFailures()) {
            return false;
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
        boolean resumable = !succeeded && journaled;
        if (!succeeded && (journaled || !workDir.isTemporary())) {
            LOG.info("work directory kept: {}", workDir.path());
            if (resumable) {
                next = "continue with resume() and notConsistent()" + (!options.defaultWorkDirectory()
                        ? ", passing workDirectory(" + workDir.path() + ") again" : "");
                resumeHint = "; the work directory " + workDir.path() + " keeps what was finished: " + next;
            }
        }
        if (resumable || !workDir.isTemporary()) {
            report.workDirectoryKept(workDir.path(), resumable);
        }
        // A default directory with nothing to resume is removed, so it does not block the next run.
        if (succeeded || !journaled) {
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
