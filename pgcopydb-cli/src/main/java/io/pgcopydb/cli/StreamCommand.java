package io.pgcopydb.cli;

import io.pgcopydb.DatabaseFollow;
import io.pgcopydb.FollowBuilder;
import io.pgcopydb.connection.ConnectionSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pgcopydb stream}: the follow's parts one at a time, with pgcopydb's names — {@code stream setup},
 * {@code stream cleanup}, {@code stream sentinel set endpos (LSN | --current)}, {@code stream sentinel get}.
 */
@Command(name = "stream", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Set up, clean up or steer a follow (change data capture).")
public final class StreamCommand implements Callable<Integer> {

    /** The group and its subcommands, ready to add to the root. */
    static CommandLine commandLine(CliContext context) {
        CommandLine stream = new CommandLine(new StreamCommand());
        stream.addSubcommand("setup", new CommandLine(new Setup(context)));
        stream.addSubcommand("cleanup", new CommandLine(new Cleanup(context)));
        CommandLine sentinel = new CommandLine(new Sentinel());
        CommandLine set = new CommandLine(new SentinelSet());
        set.addSubcommand("endpos", new CommandLine(new SetEndpos(context)));
        sentinel.addSubcommand("set", set);
        sentinel.addSubcommand("get", new CommandLine(new SentinelGet(context)));
        stream.addSubcommand("sentinel", sentinel);
        return stream;
    }

    @Override
    public Integer call() {
        throw new UsageException("missing subcommand: use 'stream setup', 'stream cleanup' or 'stream sentinel' "
                + "(see 'pgcopydb stream --help')");
    }

    /** {@code --source}, {@code --target}, {@code --dir} and the follow's names. */
    abstract static class Base implements Callable<Integer> {
        final CliContext context;

        @Spec
        CommandSpec spec;

        @Option(names = "--source", paramLabel = "URI", order = 1, description = "Source database (or $"
                + ConnectionArguments.SOURCE_VARIABLE + ").")
        String source;

        @Option(names = "--target", paramLabel = "URI", order = 2, description = "Target database (or $"
                + ConnectionArguments.TARGET_VARIABLE + ").")
        String target;

        @Option(names = "--dir", paramLabel = "DIR", order = 3, description = "Work directory; the follow's state "
                + "is in DIR/cdc (or $" + CloneCommand.DIR_VARIABLE + ").")
        Path dir;

        @Mixin
        DebugOption debug;

        Base(CliContext context) {
            this.context = context;
            this.debug = new DebugOption(context);
        }
    }

    /** {@code stream setup}. */
    @Command(name = "setup", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Create the publication and the logical replication slot on the source and the "
                    + "replication origin on the target, for a later 'follow --resume'.")
    static final class Setup extends Base {
        @Option(names = {"--filters", "--filter"}, paramLabel = "FILE", order = 4,
                description = "Publish only the tables this pgcopydb filter file selects.")
        Path filters;

        @Mixin
        FollowArguments follow = new FollowArguments();

        Setup(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            FollowBuilder builder = FollowCommand.builder(context, source, target, dir);
            if (filters != null) {
                builder.filter(FilterArguments.read(filters));
            }
            follow.applyTo(builder).setup();
            spec.commandLine().getOut().println("Follow set up: slot, publication and origin created");
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code stream cleanup}. */
    @Command(name = "cleanup", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Drop the follow's replication slot, publication and origin, and its change log.")
    static final class Cleanup extends Base {
        @Mixin
        FollowArguments follow = new FollowArguments();

        Cleanup(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            List<String> dropped = follow.applyTo(FollowCommand.builder(context, source, target, dir)).cleanup();
            spec.commandLine().getOut().println(dropped.isEmpty() ? "Nothing to clean up"
                    : "Dropped " + String.join(", ", dropped));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code stream sentinel}. */
    @Command(name = "sentinel", mixinStandardHelpOptions = true,
            description = "Read or set the endpos of a running follow, from another process.")
    static final class Sentinel implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new UsageException("missing subcommand: use 'stream sentinel set endpos' or 'stream sentinel get'");
        }
    }

    /** {@code stream sentinel set}. */
    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set a sentinel value.")
    static final class SentinelSet implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new UsageException("missing subcommand: use 'stream sentinel set endpos (LSN | --current)'");
        }
    }

    /** {@code stream sentinel set endpos (LSN | --current)}. */
    @Command(name = "endpos", mixinStandardHelpOptions = true, sortOptions = false,
            description = "The running follow stops once every transaction committed before LSN is applied.")
    static final class SetEndpos extends Base {
        @Parameters(arity = "0..1", paramLabel = "LSN", description = "A WAL position, e.g. 0/16B3748.")
        String lsn;

        @Option(names = "--current", order = 4, description = "The source's current WAL position.")
        boolean current;

        SetEndpos(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            if (current == (lsn != null)) {
                throw new UsageException("give either an LSN or --current");
            }
            FollowBuilder follow = sentinelBuilder(context, source, target, dir);
            String endpos;
            if (current) {
                endpos = follow.setEndposToCurrent();
            } else {
                try {
                    follow.setEndpos(lsn);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                endpos = lsn;
            }
            spec.commandLine().getOut().println("endpos " + endpos);
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code stream sentinel get}. */
    @Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Print the endpos set for the follow of the work directory.")
    static final class SentinelGet extends Base {
        SentinelGet(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            Optional<String> endpos = sentinelBuilder(context, source, target, dir).endpos();
            spec.commandLine().getOut().println("endpos " + endpos.orElse("none"));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    /**
     * A builder for the sentinel, which needs the source (for {@code --current}) and the follow's directory: with
     * {@code --dir}, the target is not needed and the source stands in for it (it only names the default
     * directory, which {@code --dir} replaces).
     */
    static FollowBuilder sentinelBuilder(CliContext context, String source, String target, Path dir) {
        Path work = dir != null ? dir : context.variable(CloneCommand.DIR_VARIABLE).map(Path::of).orElse(null);
        if (work != null && target == null && context.variable(ConnectionArguments.TARGET_VARIABLE).isEmpty()) {
            ConnectionSpec from = ConnectionArguments.required(context, "--source", source,
                    ConnectionArguments.SOURCE_VARIABLE);
            return DatabaseFollow.from(from).to(from).workDirectory(work);
        }
        return FollowCommand.builder(context, source, target, dir);
    }
}
