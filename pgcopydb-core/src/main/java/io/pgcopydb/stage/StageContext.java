package io.pgcopydb.stage;

import io.pgcopydb.CopyOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a stage may see and use of the running copy. Read-only; thread-safe.
 */
public interface StageContext {

    /** The frozen options of this run. */
    CopyOptions options();

    /** The snapshot every source reader imports; empty when the run is not consistent. */
    Optional<String> snapshotId();

    /** The run's work directory (dump archive, TOC lists). */
    Path workDirectory();

    /**
     * A new source connection inside the run's snapshot: autocommit off, {@code REPEATABLE READ}, the snapshot
     * imported, session timeouts disabled. The caller closes it.
     */
    Connection openSource() throws SQLException;

    /**
     * A new target connection: autocommit on, timeouts disabled, {@code synchronous_commit=off}, the run's
     * {@code maintenance_work_mem}. The caller closes it.
     */
    Connection openTarget() throws SQLException;

    /** Path of a PostgreSQL client tool ({@code pg_dump}, {@code pg_restore}) able to handle the source. */
    Path clientTool(String name);

    /**
     * Environment for a client tool connecting to the source or target: libpq variables, the password among
     * them, so that it never appears in a process argument.
     */
    Map<String, String> clientEnvironment(boolean source);

    /**
     * Runs a PostgreSQL client tool ({@code pg_dump}, {@code pg_restore}) against the source or the target. The
     * connection, password included, reaches the tool through its environment, never its arguments: pass only
     * the database with {@link #databaseArgument(boolean)}. Output goes to {@code <workDirectory>/<logName>}.
     * The tool is killed if the run is cancelled.
     */
    ToolResult runClientTool(String tool, List<String> arguments, boolean source, String logName) throws Exception;

    /** The {@code --dbname} value naming the source or target database, without any secret. */
    String databaseArgument(boolean source);

    /** Whether the run was cancelled or has failed and stops scheduling work; long stages check it. */
    boolean isStopping();
}
