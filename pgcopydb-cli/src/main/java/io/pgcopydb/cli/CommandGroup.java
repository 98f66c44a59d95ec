package io.pgcopydb.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command group of pgcopydb's ({@code dump}, {@code restore}): its name and description are set where it is
 * registered ({@link StepCommands}); without a subcommand it is a usage error naming them.
 */
@Command(name = "group", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
public final class CommandGroup implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private DebugOption debug;

    /**
     * A group reading the debug flag from {@code context}.
     *
     * @param context the invocation's environment and debug flag
     */
    public CommandGroup(CliContext context) {
        this.debug = new DebugOption(context);
    }

    @Override
    public Integer call() {
        throw new UsageException("missing subcommand: use '" + spec.qualifiedName() + " "
                + String.join("|", spec.subcommands().keySet()) + "' (see '" + spec.qualifiedName() + " --help')");
    }
}
