package io.pgcopydb.internal.run;

import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyOptions;
import io.pgcopydb.CopyProgress;
import io.pgcopydb.SkipReason;
import io.pgcopydb.internal.state.ActivityLog;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run and what lives exactly as long as it: its id and options, the guarded listener, the report being
 * collected, its switches ({@link RunControl}), its threads and its retries. Built before the first step;
 * thread-safe.
 */
public final class Run {
    private static final Logger LOG = LoggerFactory.getLogger(Run.class);
    /** The periodic progress line has its own logger, so a tool drawing progress itself can mute it. */
    private static final Logger PROGRESS = LoggerFactory.getLogger("io.pgcopydb.progress");

    private final String id;
    private final CopyOptions options;
    private final CopyListener listener;
    private final UnitTracker units = new UnitTracker();
    private final ProgressTracker progress = new ProgressTracker(System::nanoTime);
    private final ActivityLog activity = new ActivityLog();
    private final ReportCollector report;
    private final RunControl control = new RunControl();
    private final RunThreads threads;
    private final Retrier retrier;
    private final SessionPool sourceSessions = SessionPool.forSource();
    private final SessionPool targetSessions = SessionPool.forTarget();

    /** A run of {@code options} named {@code id}; a listener that throws is contained ({@link Listeners#guarded}). */
    public Run(String id, CopyOptions options) {
        this.id = id;
        this.options = options;
        // Every event also reaches the tracker of ended units, so a run stopping early can close the plan, and the
        // tracker of progress.
        this.listener = Listeners.composite(List.of(options.listener(), units, progress, activity));
        this.report = new ReportCollector(id, options);
        this.threads = new RunThreads(id);
        this.retrier = new Retrier(options, control, report, listener);
    }

    /** The run's id, in every thread name and in the log's MDC. */
    public String id() {
        return id;
    }

    /** The run's frozen options. */
    public CopyOptions options() {
        return options;
    }

    /**
     * The caller's listener, guarded (what it throws is logged once and the copy goes on), together with the
     * run's own tracker of ended units.
     */
    public CopyListener listener() {
        return listener;
    }

    /**
     * The plan and started units, written to the work directory once {@link ActivityLog#attach attached}, for
     * {@code list progress}.
     */
    public ActivityLog activity() {
        return activity;
    }

    /** The report being collected. */
    public ReportCollector report() {
        return report;
    }

    /** The run's switches: stop scheduling, cancel. */
    public RunControl control() {
        return control;
    }

    /** The run's threads and pools. */
    public RunThreads threads() {
        return threads;
    }

    /** The source sessions units hand on to the next ({@link RunContext#openSource()}); closed at the run's end. */
    public SessionPool sourceSessions() {
        return sourceSessions;
    }

    /** The target sessions units hand on to the next ({@link RunContext#openTarget()}); closed at the run's end. */
    public SessionPool targetSessions() {
        return targetSessions;
    }

    /** Runs units of work again after a lost connection, within the run's budget. */
    public Retrier retrier() {
        return retrier;
    }

    /** How far the run is now ({@link io.pgcopydb.CopyExecution#progress()}). */
    public CopyProgress progress() {
        return progress.snapshot(true);
    }

    /**
     * Follows the data step until the returned handle is closed: logs at INFO, every {@code period}, how far it is
     * against the plan ({@code io.pgcopydb.progress} logger: a long copy says it is alive without a line per
     * object), and reads the target's progress views for running index builds and vacuums while somebody asks
     * for {@link #progress()}.
     *
     * @param target opens the poller's one target session, when first needed
     */
    public AutoCloseable followProgress(Duration period, ProgressPoller.Opener target) {
        AutoCloseable log = threads.every(period, () -> {
            CopyProgress now = progress.snapshot(false);
            if (now.planned()) {
                PROGRESS.info("Progress: {}", now.line());
            }
        });
        ProgressPoller poller = new ProgressPoller(progress, target, threads);
        return () -> {
            poller.close();
            log.close();
        };
    }

    /**
     * Announces the planned units the run never reached as skipped: {@link SkipReason#CANCELLED} when the run was
     * cancelled, {@link SkipReason#RUN_STOPPED} otherwise. Called once, when the run ends.
     */
    public void skipUnreachedUnits() {
        units.skipUnended(listener, report, control.isCancelled() ? SkipReason.CANCELLED : SkipReason.RUN_STOPPED);
    }

    /**
     * Something skipped or degraded that the run survives: logged at WARN once, and listed in
     * {@link io.pgcopydb.CopyReport#warnings()} so it is never only a log line.
     */
    public void warn(String message) {
        LOG.warn("{}", message);
        report.warning(message);
    }
}
