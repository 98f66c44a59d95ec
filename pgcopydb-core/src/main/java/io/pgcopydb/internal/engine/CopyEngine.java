package io.pgcopydb.internal.engine;

import io.pgcopydb.internal.data.DataPhase;
import io.pgcopydb.internal.schema.DatabaseSettings;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.schema.ExtensionConfigCopier;
import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.internal.data.LargeObjectCopier;
import io.pgcopydb.internal.run.Listeners;
import io.pgcopydb.internal.data.PlanCheck;
import io.pgcopydb.internal.preflight.Preflight;
import io.pgcopydb.internal.run.ReportCollector;
import io.pgcopydb.internal.run.Retrier;
import io.pgcopydb.internal.schema.RoleCopier;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.schema.SchemaRestorer;
import io.pgcopydb.internal.data.SequenceCopier;
import io.pgcopydb.internal.catalog.SnapshotHolder;
import io.pgcopydb.internal.state.WorkDirectory;
import io.pgcopydb.CopyExecution;
import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyOptions;
import io.pgcopydb.CopyReport;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.Phase;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.stage.PostDataFilter;
import io.pgcopydb.model.SourceCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one copy: the numbered steps of {@link Phase}, the data step scheduled by {@link DataPhase}. One
 * instance per run; {@link #start} runs it on a thread of its own.
 */
public final class CopyEngine implements CopyExecution {
    private static final Logger LOG = LoggerFactory.getLogger(CopyEngine.class);
    /** The end-of-run summary tables go to their own logger, so a CLI printing them itself can mute it. */
    private static final Logger SUMMARY = LoggerFactory.getLogger("io.pgcopydb.summary");
    static final String MDC_KEY = "pgcopydb.run";

    private final CopyOptions options;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final CopyListener listener;
    private final ReportCollector report;
    private final CompletableFuture<CopyReport> done = new CompletableFuture<>();
    private volatile RunContext context;
    private volatile boolean cancelRequested;
    private volatile String cancelReason = "the copy was cancelled";
    private volatile PgCopyException failure;
    /** Said after a failure or cancellation that left a resumable work directory; empty otherwise. */
    private volatile String resumeHint = "";

    private CopyEngine(CopyOptions options) {
        this.options = options;
        this.listener = Listeners.guarded(options.listener());
        this.report = new ReportCollector(runId, options);
    }

    public static CopyExecution start(CopyOptions options) {
        CopyEngine engine = new CopyEngine(options);
        Thread t = new Thread(engine::runAndComplete, "pgcopydb-main-" + engine.runId);
        t.setDaemon(false);
        t.start();
        options.timeout().ifPresent(limit -> {
            Thread timer = new Thread(() -> {
                try {
                    engine.done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    LOG.error("the copy did not finish within {}: cancelling it", limit);
                    engine.cancel("the copy timed out after " + limit.toSeconds() + " s (timeout " + limit
                            + "); what was finished is kept");
                } catch (InterruptedException | ExecutionException e) {
                    // the run ended on its own
                }
            }, "pgcopydb-timeout-" + engine.runId);
            timer.setDaemon(true);
            timer.start();
        });
        return engine;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public void cancel() {
        cancel("the copy was cancelled");
    }

    private void cancel(String reason) {
        if (!cancelRequested) {
            cancelReason = reason;
        }
        cancelRequested = true;
        RunContext c = context;
        if (c != null) {
            c.stop(true);
        }
    }

    @Override
    public CopyReport await() {
        CopyReport r;
        try {
            r = done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgCopyException(ErrorCode.CANCELLED, "interrupted while waiting for the copy " + runId);
        } catch (ExecutionException e) {
            throw new PgCopyException(ErrorCode.INTERNAL, null, null, null, "the copy crashed: " + e.getCause(),
                    e.getCause(), null);
        }
        if (failure != null) {
            throw failure;
        }
        return r;
    }

    @Override
    public Optional<CopyReport> await(Duration timeout) {
        try {
            return Optional.of(done.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean isDone() {
        return done.isDone();
    }

    private void runAndComplete() {
        MDC.put(MDC_KEY, runId);
        listener.runStarted(runId, options);
        CopyReport.Status status = CopyReport.Status.FAILED;
        try {
            status = runSteps();
        } catch (PgCopyException e) {
            failure = resumeHint.isEmpty() ? e : new PgCopyException(e.code(), e.phase().orElse(null),
                    e.object().orElse(null), e.sqlState().orElse(null), e.getMessage() + resumeHint, e.getCause(), null);
            status = cancelRequested ? CopyReport.Status.CANCELLED : CopyReport.Status.FAILED;
        } catch (Throwable e) {
            failure = new PgCopyException(ErrorCode.INTERNAL, null, null, Errors.sqlState(e).orElse(null),
                    "unexpected error: " + Errors.message(e), e, null);
        } finally {
            RunContext c = context;
            if (c != null) {
                report.warnings(c.warnings());
            }
            CopyReport r = report.build(status);
            if (failure == null && status != CopyReport.Status.SUCCEEDED) {
                failure = new PgCopyException(status == CopyReport.Status.CANCELLED ? ErrorCode.CANCELLED
                        : ErrorCode.COPY_FAILED, Phase.COPY_DATA, null, null, failureSummary(r) + resumeHint, null, r);
            } else if (failure != null) {
                failure = failure.withReport(r);
            }
            logSummary(r);
            listener.runFinished(r);
            MDC.remove(MDC_KEY);
            done.complete(r);
        }
    }

    private CopyReport.Status runSteps() throws Exception {
        long start = System.nanoTime();
        WorkDirectory.Claim[] claim = new WorkDirectory.Claim[1];
        Preflight.Result preflight = step(Phase.PREFLIGHT, () -> {
            claim[0] = WorkDirectory.claim(options);
            try {
                return Preflight.check(options, System.getenv(), claim[0].problem().stream().toList());
            } catch (RuntimeException e) {
                // Nothing was written: a default directory that holds no earlier copy goes away again.
                claim[0].directory().ifPresent(wd -> wd.release(!Journal.exists(wd.path())));
                throw e;
            }
        });
        report.warnings(preflight.warnings());
        WorkDirectory workDir = claim[0].directory().orElseThrow();
        boolean succeeded = false;
        try (Journal journal = Journal.open(workDir.path(), options.resume())) {
            RunContext ctx = new RunContext(options, workDir.path(), preflight.tools(), journal);
            this.context = ctx;
            if (cancelRequested) {
                ctx.stop(true);
            }
            if (options.resume()) {
                long finished = Journal.unitsFinished(journal.previous());
                LOG.info("Resuming the copy recorded in {}: {} units already finished", workDir.path(), finished);
            }
            succeeded = copy(ctx, journal, start) == CopyReport.Status.SUCCEEDED;
            return succeeded ? CopyReport.Status.SUCCEEDED : CopyReport.Status.FAILED;
        } finally {
            // The RUN line is written just before the first write to the target: from then on, resume is the way on.
            boolean resumable = Journal.exists(workDir.path());
            if (!succeeded && (resumable || !workDir.isTemporary())) {
                LOG.info("work directory kept: {}", workDir.path());
                if (resumable) {
                    resumeHint = "; the work directory " + workDir.path() + " keeps what was finished: continue with "
                            + "resume() and notConsistent() (--resume --not-consistent"
                            + (options.workDirectory().isPresent() ? " --dir " + workDir.path() : "") + ")";
                }
            }
            // A default directory with nothing to resume is removed, so it does not block the next run.
            workDir.release(succeeded || !resumable);
        }
    }

    private CopyReport.Status copy(RunContext ctx, Journal journal, long start) throws Exception {
        List<List<DatabaseSettings.Setting>> settings = new java.util.ArrayList<>(1);
        try (SnapshotHolder snapshot = step(Phase.CATALOG, () -> {
            SnapshotHolder holder = SnapshotHolder.open(ctx);
            try {
                // Read with the rest of the catalog: a failure here is reported as the catalog step's.
                settings.add(options.skipDbProperties() ? List.of() : DatabaseSettings.read(ctx));
                return holder;
            } catch (Exception e) {
                holder.close();
                throw e;
            }
        })) {
            SourceCatalog catalog = snapshot.catalog();
            CopyPlan plan = options.tablePlanner().plan(catalog, ctx);
            PlanCheck.verify(plan, catalog);
            report.planned(plan, catalog);
            LOG.info("Fetched information for {} tables, {} indexes, {} sequences, {} large objects",
                    catalog.tables().size(), catalog.indexes().size(), catalog.sequences().size(),
                    catalog.largeObjects());
            List<DatabaseSettings.Setting> dbSettings = settings.get(0);
            Path archive = step(Phase.DUMP_SCHEMA, () -> options.schemaDumper().dump(ctx));
            // The first write: from here on the journal makes the run resumable.
            // Which pair this journal is about: a resume with another pair's directory must be refused.
            journal.record(Journal.Kind.RUN, runId, java.time.Instant.now() + " "
                    + WorkDirectory.pairKey(options.source(), options.target()));
            SchemaRestorer restorer = new SchemaRestorer(ctx, archive);
            Retrier retrier = new Retrier(ctx, report, listener);
            // dropIfExists, or a resumed run replacing what an interrupted pre- or post-data restore left.
            boolean replace = options.dropIfExists() || options.resume();
            step(Phase.PREPARE_SCHEMA, () -> {
                if (journal.isFinished(Journal.Kind.PRE_DATA, "")) {
                    LOG.info("Pre-data was restored by the interrupted run, skipped");
                    return null;
                }
                // Reads only, so a missing extension or collation stops the copy before anything is written.
                restorer.checkPrerequisites();
                if (options.roles()) {
                    RoleCopier.copy(ctx);
                }
                // A resumed run whose pre-data did not finish replaces what the interrupted one restored.
                restorer.restorePreData(catalog, replace);
                if (!options.skipExtensions()) {
                    ExtensionConfigCopier.copy(ctx);
                }
                journal.record(Journal.Kind.PRE_DATA, "", "");
                return null;
            });
            PostDataFilter.Built built = step(Phase.COPY_DATA,
                    () -> new DataPhase(ctx, listener, report, retrier, catalog, plan).run());
            checkContinue(ctx);
            step(Phase.SEQUENCES, () -> {
                listener.sequencesStarted(catalog.sequences().size());
                long t = System.nanoTime();
                try {
                    // Setting values again is harmless: a lost connection is retried like any unit.
                    retrier.call(Phase.SEQUENCES, "sequences", attempt -> {
                        SequenceCopier.copy(catalog.sequences(), ctx);
                        return null;
                    });
                } catch (Exception e) {
                    listener.sequencesFailed(e);
                    throw e;
                }
                report.sequences(catalog.sequences().size());
                listener.sequencesFinished(catalog.sequences().size(), Duration.ofNanos(System.nanoTime() - t));
                return null;
            });
            if (catalog.largeObjects() > 0 && !options.skipLargeObjects()
                    && !journal.isFinished(Journal.Kind.LARGE_OBJECTS, "")) {
                step(Phase.LARGE_OBJECTS, () -> {
                    listener.largeObjectsStarted(catalog.largeObjects());
                    long t = System.nanoTime();
                    long[] copied;
                    try {
                        // The copier compares with the target first, so an attempt after a lost connection only
                        // writes what is missing or different.
                        copied = retrier.call(Phase.LARGE_OBJECTS, "large objects",
                                attempt -> LargeObjectCopier.copy(ctx));
                    } catch (Exception e) {
                        listener.largeObjectsFailed(e);
                        throw e;
                    }
                    report.largeObjects(copied[0], copied[1]);
                    journal.record(Journal.Kind.LARGE_OBJECTS, "", copied[0] + " " + copied[1]);
                    listener.largeObjectsFinished(copied[0], copied[1], Duration.ofNanos(System.nanoTime() - t));
                    return null;
                });
            }
            snapshot.release();
            checkContinue(ctx);
            step(Phase.FINALIZE_SCHEMA, () -> {
                if (journal.isFinished(Journal.Kind.POST_DATA, "")) {
                    LOG.info("Post-data was restored by the interrupted run, skipped");
                } else {
                    // Resumed: what an interrupted post-data restore created is dropped and created again.
                    restorer.restorePostData(options.postDataFilter(), built, replace);
                    journal.record(Journal.Kind.POST_DATA, "", "");
                }
                // Last write of the run: settings such as default_transaction_read_only or default_tablespace
                // must not apply to our own sessions while they build the copy.
                if (!options.skipDbProperties()) {
                    DatabaseSettings.apply(ctx, dbSettings);
                }
                return null;
            });
        }
        LOG.info("All steps are now done, {} ms elapsed", (System.nanoTime() - start) / 1_000_000);
        if (report.hasFailures()) {
            return CopyReport.Status.FAILED;
        }
        journal.record(Journal.Kind.DONE, runId, java.time.Instant.now().toString());
        return CopyReport.Status.SUCCEEDED;
    }

    /** After a failure without continueOnError, or a cancellation, later steps must not run. */
    private void checkContinue(RunContext ctx) {
        if (cancelRequested) {
            throw new PgCopyException(ErrorCode.CANCELLED, Phase.COPY_DATA, null, null, cancelReason,
                    null, null);
        }
        if (report.hasFailures() && !options.continueOnError()) {
            throw new PgCopyException(ErrorCode.COPY_FAILED, Phase.COPY_DATA, null, null,
                    failureSummary(report.build(CopyReport.Status.FAILED)), null, null);
        }
    }

    private interface StepBody<T> {
        T run() throws Exception;
    }

    private <T> T step(Phase phase, StepBody<T> body) {
        LOG.info("STEP {}: {}", phase.number(), phase.description());
        listener.phaseStarted(phase);
        long start = System.nanoTime();
        try {
            T result = body.run();
            Duration d = Duration.ofNanos(System.nanoTime() - start);
            report.phase(phase, d);
            listener.phaseFinished(phase, d);
            return result;
        } catch (PgCopyException e) {
            LOG.error("STEP {} failed: {}", phase.number(), e.getMessage());
            report.phase(phase, Duration.ofNanos(System.nanoTime() - start));
            report.failure(phase, e.object().orElse(phase.name().toLowerCase(java.util.Locale.ROOT)),
                    e.sqlState(), e.getMessage());
            listener.phaseFailed(phase, e);
            throw e;
        } catch (Exception e) {
            report.phase(phase, Duration.ofNanos(System.nanoTime() - start));
            listener.phaseFailed(phase, e);
            if (cancelRequested) {
                throw new PgCopyException(ErrorCode.CANCELLED, phase, null, null, cancelReason, e, null);
            }
            String message = Errors.message(e);
            LOG.error("STEP {} failed: {}", phase.number(), message);
            report.failure(phase, phase.name().toLowerCase(java.util.Locale.ROOT), Errors.sqlState(e), message);
            throw new PgCopyException(codeFor(phase), phase, null, Errors.sqlState(e).orElse(null),
                    phase.description() + " failed: " + message, e, null);
        }
    }

    private static ErrorCode codeFor(Phase phase) {
        return switch (phase) {
            case DUMP_SCHEMA -> ErrorCode.DUMP_FAILED;
            case PREPARE_SCHEMA, FINALIZE_SCHEMA -> ErrorCode.RESTORE_FAILED;
            case PREFLIGHT -> ErrorCode.PREFLIGHT_FAILED;
            case CATALOG -> ErrorCode.CONNECTION_FAILED;
            default -> ErrorCode.COPY_FAILED;
        };
    }

    private static String failureSummary(CopyReport r) {
        if (r.failures().isEmpty()) {
            return "the copy did not finish: " + r.status();
        }
        StringBuilder sb = new StringBuilder(r.failures().size() + " object(s) failed: ");
        for (int i = 0; i < r.failures().size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(r.failures().get(i));
        }
        return sb.toString();
    }

    private void logSummary(CopyReport r) {
        if (!r.tables().isEmpty()) {
            SUMMARY.info("Printing summary for {} tables and {} indexes\n{}\n{}", r.tables().size(), r.indexes().size(),
                    r.summaryTable(), r.stepTable());
        }
    }
}
