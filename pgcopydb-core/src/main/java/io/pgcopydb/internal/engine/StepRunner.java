package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyReport;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.Failure;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.Problem;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.run.ReportCollector;
import io.pgcopydb.internal.run.Run;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the numbered steps: logs {@code STEP n: …}, tells the listener, times the step for the report, and turns
 * what a step throws into the run's {@link PgCopyException}, attributed to the step where it happened. Used by the
 * run's main thread only.
 */
final class StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    private final Run run;
    private final CopyListener listener;
    private final ReportCollector report;
    /** The step running, or the last one that ran. */
    private Phase current = Phase.PREFLIGHT;

    StepRunner(Run run) {
        this.run = run;
        this.listener = run.listener();
        this.report = run.report();
    }

    /** The body of a step. */
    interface Body<T> {
        T run() throws Exception;
    }

    /**
     * Runs step {@code phase}.
     *
     * @throws PgCopyException what the step threw, or an exception naming the step and its fine code (see
     *     {@link RunProblems#code}), or {@link ErrorCode#CANCELLED} / {@link ErrorCode#TIMED_OUT} when the step
     *     ended because the run was cancelled
     */
    <T> T run(Phase phase, Body<T> body) {
        current = phase;
        LOG.info("STEP {}: {}", phase.number(), phase.description());
        listener.phaseStarted(phase);
        long start = System.nanoTime();
        int failuresBefore = report.failureCount();
        try {
            T result = body.run();
            Duration d = Duration.ofNanos(System.nanoTime() - start);
            report.phase(phase, d);
            // A step that settles its units itself (the data step) returns normally when some failed or the run
            // was cancelled under it: it did not do all it was asked, and the listener hears so.
            if (run.control().isCancelled()) {
                listener.phaseFailed(phase, PgCopyException.builder(ErrorCode.CANCELLED,
                        run.control().cancelReason()).phase(phase).build());
            } else if (report.failureCount() > failuresBefore) {
                listener.phaseFailed(phase, PgCopyException.builder(ErrorCode.COPY_FAILED,
                        failureSummary(report.build(CopyReport.Status.FAILED))).phase(phase).build());
            } else {
                listener.phaseFinished(phase, d);
            }
            return result;
        } catch (PgCopyException e) {
            LOG.debug("STEP {} failed: {}", phase.number(), e.getMessage());
            report.phase(phase, Duration.ofNanos(System.nanoTime() - start));
            // A refusal (preflight, connection) is no object's failure: the report names the step, as before the
            // problems were typed; the exception's problems carry their objects.
            boolean refusal = e.code().category() == ErrorCode.Category.PREFLIGHT
                    || e.code().category() == ErrorCode.Category.CONNECTION;
            report.failure(phase, refusal ? name(phase) : e.object().orElse(name(phase)),
                    refusal ? Optional.empty() : e.sqlState(), e.getMessage());
            listener.phaseFailed(phase, e);
            throw e;
        } catch (Exception e) {
            report.phase(phase, Duration.ofNanos(System.nanoTime() - start));
            listener.phaseFailed(phase, e);
            if (run.control().isCancelled()) {
                throw RunProblems.cancellation(run.control(), phase, e);
            }
            String message = Errors.message(e);
            LOG.debug("STEP {} failed: {}", phase.number(), message);
            report.failure(phase, name(phase), Errors.sqlState(e), message);
            Problem problem = RunProblems.step(phase, e, message);
            throw PgCopyException.builder(problem.code(), problem.message()).problem(problem).phase(phase)
                    .cause(e).build();
        }
    }

    /**
     * Between steps: a cancelled run, or one with failures that did not ask to continue, must not run the next
     * step. The exception names the step where the failure (or the cancellation) happened.
     */
    void checkContinue() {
        if (run.control().isCancelled()) {
            throw RunProblems.cancellation(run.control(), current, null);
        }
        if (report.hasFailures() && !run.options().continueOnError()) {
            CopyReport r = report.build(CopyReport.Status.FAILED);
            throw PgCopyException.builder(ErrorCode.COPY_FAILED, failureSummary(r))
                    .problems(RunProblems.failures(r.failures(), run.control()))
                    .phase(report.firstFailurePhase().orElse(current)).build();
        }
    }

    /**
     * After step 7: whether the schema may be finished (step 8) and verified (step 9). Not when something of the
     * data step failed — reached then only with {@code continueOnError()}, which is for carrying on with the
     * other tables' data (and with the sequences and large objects, which depend on no table's rows and which a
     * resume then skips or redoes cheaply), not for building the schema around holes: post-data would add
     * foreign keys, triggers and refreshed materialized views over missing rows, and the foreign keys would
     * stop the resumed run from emptying the tables it copies again. Post-data and the database's settings are
     * left to the resumed run, with a warning naming why; the run ends failed with its failures as usual.
     */
    boolean noHolesInData() {
        if (!report.hasFailures()) {
            return true;
        }
        List<Failure> failures = report.build(CopyReport.Status.FAILED).failures();
        String objects = failures.stream().limit(3).map(Failure::object).collect(Collectors.joining(", "))
                + (failures.size() > 3 ? ", …" : "");
        run.warn("post-data (foreign keys, triggers, materialized views' data, …) and the database's settings "
                + "were left for the resumed run" + (run.options().verify() ? ", and the copy was not verified" : "")
                + ": the data step failed on " + failures.size() + " object(s) (" + objects + "), and the schema "
                + "is not finished around missing data");
        return false;
    }

    /** The step running, or the last one that ran. */
    Phase current() {
        return current;
    }

    /** {@code N object(s) failed: a; b; …}, or that the run did not finish. */
    static String failureSummary(CopyReport r) {
        if (r.failures().isEmpty()) {
            return "the copy did not finish: " + r.status();
        }
        StringBuilder sb = new StringBuilder(r.failures().size() + " object(s) failed: ");
        for (int i = 0; i < r.failures().size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(r.failures().get(i));
        }
        return sb.toString();
    }

    private static String name(Phase phase) {
        return phase.name().toLowerCase(Locale.ROOT);
    }
}
