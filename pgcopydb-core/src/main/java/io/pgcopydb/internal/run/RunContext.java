package io.pgcopydb.internal.run;

import io.pgcopydb.internal.filter.FilterPlan;
import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.internal.postgres.PgTools;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.SqlText;
import io.pgcopydb.internal.postgres.ToolRunner;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.CopyOptions;
import io.pgcopydb.stage.StageContext;
import io.pgcopydb.stage.ToolResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine's {@link StageContext}: hands out configured connections and tool runs, and remembers them so a
 * cancellation can stop them. Thread-safe.
 */
public final class RunContext implements StageContext {
    private static final org.slf4j.Logger LOGGER = org.slf4j.LoggerFactory.getLogger(RunContext.class);
    private final CopyOptions options;
    private final Path workDirectory;
    private final PgTools tools;
    private final ToolRunner toolRunner = new ToolRunner();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private volatile Optional<String> snapshotId = Optional.empty();
    private volatile Optional<FilterPlan> filterPlan = Optional.empty();

    private final Journal journal;
    private final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    public RunContext(CopyOptions options, Path workDirectory, PgTools tools, Journal journal) {
        this.journal = journal;
        this.options = options;
        this.workDirectory = workDirectory;
        this.tools = tools;
    }

    /**
     * Something skipped or degraded that the run survives: logged at WARN once, and listed in
     * {@link io.pgcopydb.CopyReport#warnings()} so it is never only a log line.
     */
    public void warn(String message) {
        LOGGER.warn("{}", message);
        warnings.add(message);
    }

    /** The warnings so far, in order. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The run's journal of finished units (with an interrupted run's entries when resuming). */
    public Journal journal() {
        return journal;
    }

    /** The filter resolved in the catalog step; set once, before anything is written. */
    public void filterPlan(FilterPlan plan) {
        this.filterPlan = Optional.of(plan);
    }

    /** The resolved filter; empty when the copy has none (or before the catalog step). */
    public Optional<FilterPlan> filterPlan() {
        return filterPlan;
    }

    public void snapshotId(String id) {
        this.snapshotId = Optional.of(id);
    }

    /** Stops scheduling new work; {@code hard} also aborts every open connection and kills child tools. */
    public void stop(boolean hard) {
        stopping.set(true);
        stopped.countDown();
        if (hard) {
            cancelled.set(true);
            toolRunner.killAll();
            Executor direct = Runnable::run;
            for (Connection c : new ArrayList<>(open)) {
                try {
                    c.abort(direct);
                } catch (SQLException | RuntimeException e) {
                    // already closed or broken: either way it no longer works for us
                }
            }
        }
    }

    /**
     * Waits {@code delay}, or less when the run starts stopping.
     *
     * @return whether the whole delay passed (false: the run is stopping, or the thread was interrupted)
     */
    boolean pause(java.time.Duration delay) {
        try {
            return !stopped.await(delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public CopyOptions options() {
        return options;
    }

    @Override
    public Optional<String> snapshotId() {
        return snapshotId;
    }

    @Override
    public Path workDirectory() {
        return workDirectory;
    }

    @Override
    public Connection openSource() throws SQLException {
        return track(Sessions.openSource(options.source(), snapshotId));
    }

    @Override
    public Connection openTarget() throws SQLException {
        return track(Sessions.openTarget(options.target(), options.maintenanceWorkMem()));
    }

    @Override
    public Path clientTool(String name) {
        return tools.tool(name);
    }

    @Override
    public Map<String, String> clientEnvironment(boolean source) {
        Map<String, String> env = new HashMap<>((source ? options.source() : options.target()).clientEnvironment());
        env.putIfAbsent("PGAPPNAME", "pgcopydb");
        if (!source) {
            // pg_restore must be able to write even if the target database defaults to read-only.
            env.merge("PGOPTIONS", "-c default_transaction_read_only=off", (a, b) -> a + " " + b);
        }
        return env;
    }

    @Override
    public String databaseArgument(boolean source) {
        ConnectionSpec spec = source ? options.source() : options.target();
        return "dbname=" + SqlText.literal(spec.database().replace("\\", "\\\\"));
    }

    @Override
    public ToolResult runClientTool(String tool, List<String> arguments, boolean source, String logName)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(clientTool(tool).toString());
        command.addAll(arguments);
        ToolRunner.Outcome o = toolRunner.run(command, clientEnvironment(source), workDirectory.resolve(logName));
        return new ToolResult(o.exitCode(), o.output());
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    @Override
    public boolean isStopping() {
        return stopping.get();
    }

    private Connection track(Connection c) {
        if (open.size() > 64) {
            open.removeIf(RunContext::isClosed);
        }
        open.add(c);
        if (cancelled.get()) {
            // cancel() may have swept the open connections just before this one was added
            Sessions.closeQuietly(c, null);
            throw new IllegalStateException("the copy was cancelled");
        }
        return c;
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
