package io.pgcopydb.stage;

/**
 * The outcome of a PostgreSQL client tool run through {@link StageContext#runClientTool}.
 *
 * @param exitCode the tool's exit code
 * @param output what it printed (stdout and stderr), also kept in the work directory
 */
public record ToolResult(int exitCode, String output) {

    /** Whether the tool exited with 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }
}
