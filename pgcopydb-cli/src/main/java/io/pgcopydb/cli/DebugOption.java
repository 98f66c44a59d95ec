package io.pgcopydb.cli;

import picocli.CommandLine.Option;

/**
 * The log-level flags, accepted by every command before or after its name: {@code --quiet}, {@code --verbose}
 * ({@code --notice}), {@code --debug}. The level itself is chosen by {@link Logging} from the raw arguments in
 * {@link PgCopyDbCommand#main}, before any logger exists; here the flags are accepted (and listed in the help), and
 * {@code --debug} also asks for the stack traces of failures. They are {@link CommandLineOnly}: their variable is
 * {@value Logging#LEVEL_VARIABLE}.
 */
public final class DebugOption {
    private final CliContext context;

    /**
     * Options that record {@code --debug} in {@code context}.
     *
     * @param context the invocation's environment and debug flag
     */
    public DebugOption(CliContext context) {
        this.context = context;
    }

    @CommandLineOnly
    @Option(names = "--debug", order = 90, description = "Log at DEBUG level and print stack traces of failures.")
    void debug(boolean on) {
        // picocli may reset a subcommand's copy of the option to false after the root's set it: only ever turn on.
        if (on) {
            context.debug(true);
        }
    }

    @CommandLineOnly
    @Option(names = {"--verbose", "--notice"}, order = 91,
            description = "Log also each statement run on the target (COPY, CREATE INDEX, ALTER TABLE, VACUUM).")
    void verbose(boolean on) {
        // The level is set by Logging before parsing; accepting the flag is all there is to do here.
    }

    @CommandLineOnly
    @Option(names = "--quiet", order = 92, description = "Log only warnings and errors (no progress lines).")
    void quiet(boolean on) {
        // As for --verbose.
    }
}
