package io.pgcopydb.cli;

import io.pgcopydb.DatabaseFollow;
import io.pgcopydb.FollowBuilder;
import io.pgcopydb.FollowReport;
import io.pgcopydb.connection.ConnectionSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pgcopydb follow}: replays the changes of the slot onto a target that already holds the copy, until the
 * endpos; {@code --resume} continues a follow (or the one {@code stream setup} prepared).
 */
@Command(name = "follow", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Replay the changes of the logical replication slot onto the target until the endpos, then "
                + "set the sequences and drop the slot, publication and origin.")
public final class FollowCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", paramLabel = "URI", order = 1, description = "Source database (or $"
            + ConnectionArguments.SOURCE_VARIABLE + ").")
    private String source;

    @Option(names = "--target", paramLabel = "URI", order = 2, description = "Target database (or $"
            + ConnectionArguments.TARGET_VARIABLE + ").")
    private String target;

    @Option(names = "--dir", paramLabel = "DIR", order = 3,
            description = "Work directory; the follow keeps its state in DIR/cdc (or $" + CloneCommand.DIR_VARIABLE
                    + ").")
    private Path dir;

    @Option(names = {"--filters", "--filter"}, paramLabel = "FILE", order = 4,
            description = "Publish only the tables this pgcopydb filter file selects.")
    private Path filters;

    @Option(names = "--resume", order = 5,
            description = "Continue the follow whose slot, publication and origin exist (after 'stream setup', or "
                    + "an interrupted follow).")
    private boolean resume;

    @Mixin
    private FollowArguments follow = new FollowArguments();

    @Mixin
    private DebugOption debug;

    /** @param context the invocation's environment and debug flag */
    public FollowCommand(CliContext context) {
        this.context = context;
        this.debug = new DebugOption(context);
    }

    @Override
    public Integer call() {
        FollowBuilder builder = builder(context, source, target, dir);
        if (filters != null) {
            builder.filter(FilterArguments.read(filters));
        }
        if (resume) {
            builder.resume();
        }
        FollowReport report = follow.applyTo(builder).run();
        FollowArguments.print(report, spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    /** A follow builder of {@code --source}, {@code --target} and {@code --dir} (or their variables). */
    static FollowBuilder builder(CliContext context, String source, String target, Path dir) {
        ConnectionSpec from = ConnectionArguments.required(context, "--source", source,
                ConnectionArguments.SOURCE_VARIABLE);
        ConnectionSpec to = ConnectionArguments.required(context, "--target", target,
                ConnectionArguments.TARGET_VARIABLE);
        FollowBuilder builder = DatabaseFollow.from(from).to(to);
        Path work = dir != null ? dir : context.variable(CloneCommand.DIR_VARIABLE).map(Path::of).orElse(null);
        if (work != null) {
            builder.workDirectory(work);
        }
        return builder;
    }
}
