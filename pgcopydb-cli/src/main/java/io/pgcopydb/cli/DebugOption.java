package io.pgcopydb.cli;

import picocli.CommandLine.Option;

/**
 * {@code --debug}, accepted by every command before or after its name: stack traces of failures on standard
 * error. The DEBUG log level itself is chosen in {@link PgCopyDbCommand#main}, before any logger exists.
 */
public final class DebugOption {
    private final CliContext context;

    /**
     * An option that records {@code --debug} in {@code context}.
     *
     * @param context the invocation's environment and debug flag
     */
    public DebugOption(CliContext context) {
        this.context = context;
    }

    @Option(names = "--debug", order = 20, description = "Log at DEBUG level and print stack traces of failures.")
    void debug(boolean on) {
        // picocli may reset a subcommand's copy of the option to false after the root's set it: only ever turn on.
        if (on) {
            context.debug(true);
        }
    }
}
