package io.pgcopydb.stage;

import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.model.Side;
import io.pgcopydb.model.SourceTable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a stage may see and use of the running copy: configured connections, the client tools, the work directory
 * and the few settings a stage acts on. Read-only; thread-safe.
 */
public interface StageContext {

    /** The snapshot every source reader imports; empty when the run is not consistent. */
    Optional<String> snapshotId();

    /** The run's work directory (dump archive, TOC lists, tool logs). */
    Path workDirectory();

    /** Tables larger than this many bytes (heap and TOAST) are split into parts; 0 never splits. */
    long splitTablesLargerThan();

    /** The most parts one table is split into. */
    int splitMaxParts();

    /** Whether a table without an integer key is split by ranges of its pages ({@code ctid}). */
    default boolean splitByCtid() {
        return true;
    }

    /**
     * Whether binary COPY may be used where both sides read every column's type the same way (the default of a
     * run; false when the caller asked for text).
     */
    default boolean useCopyBinary() {
        return false;
    }

    /**
     * The COPY format chosen for {@code table}'s rows, once per run at the start of the data step:
     * {@link CopyFormat#BINARY} only when {@link #useCopyBinary()} and both servers read every copied column's
     * type the same way, {@link CopyFormat#TEXT} otherwise (the report says why). The standard streamer follows
     * it; a replaced streamer may ignore it, as text always works.
     */
    default CopyFormat copyFormat(SourceTable table) {
        return CopyFormat.TEXT;
    }

    /**
     * A source connection inside the run's snapshot: autocommit off, {@code REPEATABLE READ}, the snapshot
     * imported, session timeouts disabled. The caller closes it. The standard context hands on a session another
     * unit of the run closed while still out of autocommit and read-only, its transaction rolled back and the next
     * importing the snapshot; a new connection otherwise.
     */
    Connection openSource() throws SQLException;

    /**
     * A target connection: autocommit on, timeouts disabled, {@code synchronous_commit=off}, the run's
     * {@code maintenance_work_mem}. The caller closes it. The standard context hands on a session another unit of
     * the run closed, reset first to a new session's state (what {@code DISCARD ALL} resets: settings, role,
     * temporary tables, prepared statements, listens, advisory locks), when that unit left it open, idle (no
     * transaction in progress) and not read-only; a new connection otherwise.
     */
    Connection openTarget() throws SQLException;

    /** Path of a PostgreSQL client tool ({@code pg_dump}, {@code pg_restore}) able to handle the source. */
    Path clientTool(String name);

    /**
     * Environment for a client tool connecting to {@code side}: libpq variables, the password among them, so that
     * it never appears in a process argument.
     */
    Map<String, String> clientEnvironment(Side side);

    /**
     * Runs a PostgreSQL client tool ({@code pg_dump}, {@code pg_restore}) against {@code side}. The connection,
     * password included, reaches the tool through its environment, never its arguments: pass only the database
     * with {@link #databaseArgument(Side)}. Output goes to {@code <workDirectory>/<logName>}. The tool is killed if
     * the run is cancelled.
     */
    ToolResult runClientTool(String tool, List<String> arguments, Side side, String logName) throws Exception;

    /** The {@code --dbname} value naming the database of {@code side}, without any secret. */
    String databaseArgument(Side side);

    /** Whether the run was cancelled or has failed and stops scheduling work; long stages check it. */
    boolean isStopping();
}
