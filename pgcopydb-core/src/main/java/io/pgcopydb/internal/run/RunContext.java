package io.pgcopydb.internal.run;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.PgTools;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.SqlText;
import io.pgcopydb.internal.postgres.ToolRunner;
import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.model.Side;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.stage.StageContext;
import io.pgcopydb.stage.ToolResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's {@link StageContext}, and what the steps share beyond it: the {@link Run}, the work directory, the
 * client tools and the journal. Complete when built and immutable: a run that exports its snapshot after the
 * context exists gets a new context with {@link #withSnapshot(String)}. Connections and tool runs it hands out are
 * tracked by the run's {@link RunControl}, so a cancellation stops them. Thread-safe.
 */
public final class RunContext implements StageContext {
    private final Run run;
    private final Path workDirectory;
    private final PgTools tools;
    private final Journal journal;
    private final Optional<String> snapshotId;
    private final Map<String, String> targetSettings;
    /** Binary tables by source OID; every other table is text. */
    private final Map<Long, CopyFormat> copyFormats;

    /** The context of {@code run} once preflight has found the tools and claimed the work directory. */
    public RunContext(Run run, Path workDirectory, PgTools tools, Journal journal) {
        this(run, workDirectory, tools, journal, run.options().snapshot(), Map.of(), Map.of());
    }

    private RunContext(Run run, Path workDirectory, PgTools tools, Journal journal, Optional<String> snapshotId,
            Map<String, String> targetSettings, Map<Long, CopyFormat> copyFormats) {
        this.run = run;
        this.workDirectory = workDirectory;
        this.tools = tools;
        this.journal = journal;
        this.snapshotId = snapshotId;
        this.targetSettings = targetSettings;
        this.copyFormats = copyFormats;
    }

    /** This context with source connections importing {@code snapshotId}. */
    public RunContext withSnapshot(String snapshotId) {
        return new RunContext(run, workDirectory, tools, journal, Optional.of(snapshotId), targetSettings,
                copyFormats);
    }

    /**
     * This context with the data step's COPY formats: {@code formats} by source table OID; a table it does not
     * name is copied in text.
     */
    public RunContext withCopyFormats(Map<Long, CopyFormat> formats) {
        return new RunContext(run, workDirectory, tools, journal, snapshotId, targetSettings, Map.copyOf(formats));
    }

    /**
     * This context with target sessions (connections and client tools) setting {@code settings}, the source
     * database's custom settings ({@code prefix.name} to value), in their order.
     */
    public RunContext withTargetSettings(Map<String, String> settings) {
        return new RunContext(run, workDirectory, tools, journal, snapshotId,
                Collections.unmodifiableMap(new LinkedHashMap<>(settings)), copyFormats);
    }

    /** This context with target sessions also setting {@code name} to {@code value} (after the others). */
    public RunContext withTargetSetting(String name, String value) {
        Map<String, String> settings = new LinkedHashMap<>(targetSettings);
        settings.put(name, value);
        return withTargetSettings(settings);
    }

    /** The run this context belongs to. */
    public Run run() {
        return run;
    }

    /** The run's frozen options (stages see only what {@link StageContext} offers). */
    public CopyOptions options() {
        return run.options();
    }

    /** The run's journal of finished units (with an interrupted run's entries when resuming). */
    public Journal journal() {
        return journal;
    }

    /** Whether the run was cancelled: work interrupted under it is skipped, not failed. */
    public boolean isCancelled() {
        return run.control().isCancelled();
    }

    /** See {@link Run#warn(String)}. */
    public void warn(String message) {
        run.warn(message);
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
    public long splitTablesLargerThan() {
        return options().splitTablesLargerThan();
    }

    @Override
    public int splitMaxParts() {
        return options().splitMaxParts();
    }

    @Override
    public boolean splitByCtid() {
        return options().splitByCtid();
    }

    @Override
    public boolean useCopyBinary() {
        return options().copyFormatAsked().orElse(CopyFormat.BINARY) == CopyFormat.BINARY;
    }

    @Override
    public CopyFormat copyFormat(SourceTable table) {
        return copyFormats.getOrDefault(table.oid(), CopyFormat.TEXT);
    }

    /**
     * A source session in the run's snapshot: one a unit of the run gave back, rolled back and importing the snapshot
     * again, or a new one ({@link SessionPool}).
     */
    @Override
    public Connection openSource() throws SQLException {
        try {
            return run.sourceSessions().acquire(new SessionPool.Opener() {
                @Override
                public Connection open() throws SQLException {
                    return run.control().track(Sessions.openSource(options().source(), snapshotId));
                }

                @Override
                public void reset(Connection c) throws SQLException {
                    Sessions.resetSource(c, snapshotId);
                }
            });
        } catch (SQLException e) {
            if (Errors.isSnapshotLost(e)) {
                // The run's failure says so once, whichever worker saw it first.
                run.control().snapshotLost(snapshotId.orElse(""));
            }
            throw e;
        }
    }

    /**
     * A target session: one a unit of the run gave back, reset to a new one's state, or a new one
     * ({@link SessionPool}).
     */
    @Override
    public Connection openTarget() throws SQLException {
        return run.targetSessions().acquire(new SessionPool.Opener() {
            @Override
            public Connection open() throws SQLException {
                return run.control().track(Sessions.openTarget(options().target(), options().maintenanceWorkMem(),
                        targetSettings));
            }

            @Override
            public void reset(Connection c) throws SQLException {
                Sessions.resetTarget(c, options().maintenanceWorkMem(), targetSettings);
            }
        });
    }

    @Override
    public Path clientTool(String name) {
        return tools.tool(name);
    }

    @Override
    public Map<String, String> clientEnvironment(Side side) {
        Map<String, String> env = new HashMap<>(spec(side).clientEnvironment());
        env.putIfAbsent("PGAPPNAME", "pgcopydb");
        if (side == Side.TARGET) {
            // pg_restore must be able to write even if the target database defaults to read-only.
            // The source database's custom settings, for CHECK constraints and triggers reading them.
            String options = "-c default_transaction_read_only=off" + (targetSettings.isEmpty() ? ""
                    : " " + Sessions.toolOptions(targetSettings));
            env.merge("PGOPTIONS", options, (a, b) -> a + " " + b);
        }
        return env;
    }

    @Override
    public String databaseArgument(Side side) {
        return "dbname=" + SqlText.literal(spec(side).database().replace("\\", "\\\\"));
    }

    @Override
    public ToolResult runClientTool(String tool, List<String> arguments, Side side, String logName)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(clientTool(tool).toString());
        command.addAll(arguments);
        ToolRunner.Outcome o = run.control().tools().run(command, clientEnvironment(side),
                workDirectory.resolve(logName));
        return new ToolResult(o.exitCode(), o.output());
    }

    @Override
    public boolean isStopping() {
        return run.control().isStopping();
    }

    private ConnectionSpec spec(Side side) {
        return side == Side.SOURCE ? options().source() : options().target();
    }
}
