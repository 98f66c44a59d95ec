package io.pgcopydb.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code pgcopydb copy}: pgcopydb's command group for partial copies: {@code copy db} (the same as {@code clone})
 * and the steps alone ({@link StepCommands}); without a subcommand it is a usage error.
 */
@Command(name = "copy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Copy parts of a database, each step alone on one work directory. 'copy db' is the same as "
                + "'clone'.")
public final class CopyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private DebugOption debug;

    /**
     * The group; its subcommands are added by {@link PgCopyDbCommand#newCommandLine(CliContext)}.
     *
     * @param context the invocation's environment and debug flag
     */
    public CopyCommand(CliContext context) {
        this.debug = new DebugOption(context);
    }

    @Override
    public Integer call() {
        throw new UsageException("missing subcommand: use 'copy db' or a step such as 'copy table-data' (see "
                + "'pgcopydb copy --help')");
    }
}
