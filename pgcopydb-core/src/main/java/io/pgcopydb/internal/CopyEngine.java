package io.pgcopydb.internal;

import io.pgcopydb.CopyExecution;
import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyOptions;
import io.pgcopydb.CopyReport;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.Phase;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.stage.CopyPlan;
import io.pgcopydb.stage.PostDataFilter;
import io.pgcopydb.stage.SourceCatalog;
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
final class CopyEngine implements CopyExecution {
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

    private CopyEngine(CopyOptions options) {
        this.options = options;
        this.listener = Listeners.guarded(options.listener());
        this.report = new ReportCollector(runId, options);
    }

    static CopyExecution start(CopyOptions options) {
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
            failure = e;
            status = cancelRequested ? CopyReport.Status.CANCELLED : CopyReport.Status.FAILED;
        } catch (Throwable e) {
            failure = new PgCopyException(ErrorCode.INTERNAL, null, null, Errors.sqlState(e).orElse(null),
                    "unexpected error: " + Errors.message(e), e, null);
        } finally {
            CopyReport r = report.build(status);
            if (failure == null && status != CopyReport.Status.SUCCEEDED) {
                failure = new PgCopyException(status == CopyReport.Status.CANCELLED ? ErrorCode.CANCELLED
                        : ErrorCode.COPY_FAILED, Phase.COPY_DATA, null, null, failureSummary(r), null, r);
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
        Preflight.Result preflight = step(Phase.PREFLIGHT, () -> Preflight.check(options, System.getenv()));
        WorkDirectory workDir = WorkDirectory.prepare(options.workDirectory(), runId);
        RunContext ctx = new RunContext(options, workDir.path(), preflight.tools());
        this.context = ctx;
        if (cancelRequested) {
            ctx.stop(true);
        }
        try (SnapshotHolder snapshot = step(Phase.CATALOG, () -> SnapshotHolder.open(ctx))) {
            SourceCatalog catalog = snapshot.catalog();
            CopyPlan plan = options.tablePlanner().plan(catalog, ctx);
            PlanCheck.verify(plan, catalog);
            report.planned(plan, catalog);
            LOG.info("Fetched information for {} tables, {} indexes, {} sequences, {} large objects",
                    catalog.tables().size(), catalog.indexes().size(), catalog.sequences().size(),
                    catalog.largeObjects());
            List<DatabaseSettings.Setting> dbSettings = options.skipDbProperties() ? List.of()
                    : DatabaseSettings.read(ctx);
            Path archive = step(Phase.DUMP_SCHEMA, () -> options.schemaDumper().dump(ctx));
            SchemaRestorer restorer = new SchemaRestorer(ctx, archive);
            step(Phase.PREPARE_SCHEMA, () -> {
                // Reads only, so a missing extension or collation stops the copy before anything is written.
                restorer.checkPrerequisites();
                if (options.roles()) {
                    RoleCopier.copy(ctx);
                }
                restorer.restorePreData(catalog);
                if (!options.skipExtensions()) {
                    ExtensionConfigCopier.copy(ctx);
                }
                return null;
            });
            PostDataFilter.Built built = step(Phase.COPY_DATA,
                    () -> new DataPhase(ctx, listener, report, catalog, plan).run());
            checkContinue(ctx);
            step(Phase.SEQUENCES, () -> {
                listener.sequencesStarted(catalog.sequences().size());
                long t = System.nanoTime();
                try {
                    SequenceCopier.copy(catalog.sequences(), ctx);
                } catch (Exception e) {
                    listener.sequencesFailed(e);
                    throw e;
                }
                report.sequences(catalog.sequences().size());
                listener.sequencesFinished(catalog.sequences().size(), Duration.ofNanos(System.nanoTime() - t));
                return null;
            });
            if (catalog.largeObjects() > 0 && !options.skipLargeObjects()) {
                step(Phase.LARGE_OBJECTS, () -> {
                    listener.largeObjectsStarted(catalog.largeObjects());
                    long t = System.nanoTime();
                    long[] copied;
                    try {
                        copied = LargeObjectCopier.copy(ctx);
                    } catch (Exception e) {
                        listener.largeObjectsFailed(e);
                        throw e;
                    }
                    report.largeObjects(copied[0], copied[1]);
                    listener.largeObjectsFinished(copied[0], copied[1], Duration.ofNanos(System.nanoTime() - t));
                    return null;
                });
            }
            snapshot.release();
            checkContinue(ctx);
            step(Phase.FINALIZE_SCHEMA, () -> {
                restorer.restorePostData(options.postDataFilter(), built);
                // Last write of the run: settings such as default_transaction_read_only or default_tablespace
                // must not apply to our own sessions while they build the copy.
                if (!options.skipDbProperties()) {
                    DatabaseSettings.apply(ctx, dbSettings);
                }
                return null;
            });
        } catch (PgCopyException e) {
            LOG.info("work directory kept for inspection: {}", workDir.path());
            throw e;
        }
        LOG.info("All steps are now done, {} ms elapsed", (System.nanoTime() - start) / 1_000_000);
        if (report.hasFailures()) {
            LOG.info("work directory kept for inspection: {}", workDir.path());
            return CopyReport.Status.FAILED;
        }
        workDir.cleanUpAfterSuccess();
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
