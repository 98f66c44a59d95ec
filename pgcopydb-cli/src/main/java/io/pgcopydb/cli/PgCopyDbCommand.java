package io.pgcopydb.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/**
 * {@code java -jar pgcopydb.jar}: the command line of pgcopydb, with pgcopydb's command and option names so that
 * existing scripts keep working.
 *
 * <pre>
 * pgcopydb clone   --source URI --target URI [--table-jobs N] [--index-jobs N] [--restore-jobs N] [--dir DIR]
 *                  [--not-consistent] [--skip-vacuum] [--skip-large-objects] [--verify] [--debug]
 * pgcopydb copy db (the same options)
 * pgcopydb copy    roles|extensions|schema|pre-data|post-data|table-data|data|sequences|indexes|constraints|blobs
 *                  (the same options; each step alone on the work directory --dir)
 * pgcopydb dump    schema|roles (into --dir)
 * pgcopydb restore schema|pre-data|post-data|roles|parse-list (from the dump in --dir)
 * pgcopydb list    databases|extensions|collations|tables|table-parts|sequences|indexes|depends|schema
 *                  --source URI [--filters FILE] [--list-skipped] [--table-name T --split-tables-larger-than SIZE]
 *                  [--json]
 * pgcopydb list    progress --dir DIR [--json]
 * pgcopydb ping    --source URI --target URI [--json]
 * pgcopydb snapshot --source URI [--dir DIR]   (prints the id, holds it until Ctrl-C)
 * pgcopydb version [--source URI] [--target URI] [--json]
 * pgcopydb clone   … --follow [--endpos LSN] [--slot-name NAME] [--origin NAME] [--publication NAME]
 * pgcopydb follow  --source URI --target URI [--dir DIR] [--resume] [--endpos LSN]
 * pgcopydb stream  setup|cleanup --source URI --target URI [--dir DIR]
 * pgcopydb stream  sentinel set endpos (LSN | --current) | sentinel get   --source URI --dir DIR
 * pgcopydb compare schema|data --source URI --target URI [--filters FILE] [--table-jobs N] [--json]
 * pgcopydb demo    [--scale 0.2] [--source URI --target URI [--generate]]
 * pgcopydb bench   [--scale 50] [--wide-rows N] [--rounds 3] [--ways a,b] [--way NAME=FLAGS] [--json|--markdown]
 *                  [--source URI --target URI]   (from the jar only: java -jar pgcopydb.jar bench)
 * pgcopydb --version | --help | help COMMAND
 * </pre>
 *
 * <p>Standard output holds the result (the summary tables), standard error the log and, on failure, one line
 * {@code pgcopydb: <message>}. Exit codes are listed in {@link ExitCodes}. Only {@link #main} exits the JVM;
 * {@link #newCommandLine(CliContext)} gives tests the same command to run in-process.
 */
@Command(name = "pgcopydb", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = "Copy a live PostgreSQL database to another server (a Java implementation of pgcopydb).",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Every option of a command can also come from its environment variable",
            "(--table-jobs from PGCOPYDB_TABLE_JOBS): 'pgcopydb COMMAND --help' lists them."})
public final class PgCopyDbCommand implements Callable<Integer> {

    @Mixin
    private DebugOption debug;

    private PgCopyDbCommand(CliContext context) {
        this.debug = new DebugOption(context);
    }

    /**
     * Runs the command line and exits with its exit code. Logging is configured first, before any logger
     * exists; Ctrl-C cancels a running copy ({@link CancelOnShutdown}).
     *
     * @param args the command line, e.g. {@code clone --source URI --target URI}
     */
    public static void main(String[] args) {
        Logging.configure(Logging.settings(Arrays.asList(args), System.getenv()));
        CancelOnShutdown.installHook();
        int exitCode = newCommandLine(CliContext.fromSystem(), args).execute(args);
        CancelOnShutdown.commandFinished();
        if (CancelOnShutdown.shuttingDown()) {
            // A signal already started the JVM's shutdown: exiting now would race it (a non-zero System.exit during
            // shutdown halts at once with that status). Returning lets it end with the signal's status, 130.
            return;
        }
        System.exit(exitCode);
    }

    /**
     * The whole command tree, with pgcopydb's error reporting (one line on standard error, exit codes of
     * {@link ExitCodes}). Call {@link CommandLine#setOut} and {@link CommandLine#setErr} on the result to
     * capture the output; they apply to every subcommand.
     *
     * @param context the environment the commands read
     * @return the root command, ready to {@link CommandLine#execute execute}
     */
    public static CommandLine newCommandLine(CliContext context) {
        return newCommandLine(context, new String[0]);
    }

    /**
     * The command tree for running {@code args}: when they name a command ({@code clone …}), only that command's
     * branch — picocli reads every command's annotations when the tree is built, and building all of them took
     * ~0.3 s of CPU at each start, a third of a small copy's — else (no command, {@code help}, an unknown word)
     * the whole tree, so that help and the "did you mean" of a typo see every command; but no command at all for
     * the tool's {@code --version} alone (0.2 s instead of 0.5 s of CPU: wrappers call it to check what they run).
     * Behaves as {@link #newCommandLine(CliContext)} for {@code args}.
     *
     * @param context the environment the commands read
     * @param args the command line that will be executed
     * @return the root command, ready to {@link CommandLine#execute execute} {@code args}
     */
    public static CommandLine newCommandLine(CliContext context, String[] args) {
        String named = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
        Map<String, Supplier<CommandLine>> commands = commands(context);
        String only = named.equals("fork") ? "clone" : commands.containsKey(named) ? named : "";
        List<String> given = Arrays.asList(args);
        boolean versionOnly = named.isEmpty() && (given.contains("--version") || given.contains("-V"))
                && !given.contains("--help") && !given.contains("-h");
        CommandLine root = new CommandLine(new PgCopyDbCommand(context));
        commands.forEach((name, command) -> {
            if (!versionOnly && (only.isEmpty() || only.equals(name))) {
                if (name.equals("clone")) {
                    root.addSubcommand(name, command.get(), "fork");
                } else {
                    root.addSubcommand(name, command.get());
                }
            }
        });
        if (only.isEmpty() && !versionOnly) {
            root.addSubcommand("help", new CommandLine.HelpCommand());
        }
        ErrorReporter errors = new ErrorReporter(context);
        root.setParameterExceptionHandler(errors);
        root.setExecutionExceptionHandler(errors);
        EnvironmentDefaults environment = new EnvironmentDefaults(context);
        // Last: the provider and the help's list of variables reach the subcommands added so far.
        environment.install(root);
        root.setExecutionStrategy(parsed -> execute(parsed, environment, context));
        return root;
    }

    /** Every top-level command but {@code help}, by name, each built when asked for. */
    private static Map<String, Supplier<CommandLine>> commands(CliContext context) {
        Map<String, Supplier<CommandLine>> commands = new LinkedHashMap<>();
        commands.put("clone", () -> new CommandLine(new CloneCommand(context)));
        commands.put("copy", () -> {
            CommandLine copy = new CommandLine(new CopyCommand(context));
            CommandLine db = new CommandLine(new CloneCommand(context));
            db.getCommandSpec().name("db");
            copy.addSubcommand("db", db);
            StepCommands.addCopySteps(copy, context);
            return copy;
        });
        commands.put("dump", () -> StepCommands.dump(context));
        commands.put("restore", () -> StepCommands.restore(context));
        commands.put("list", () -> new CommandLine(new ListCommand(context)));
        commands.put("compare", () -> new CommandLine(new CompareCommand(context)));
        commands.put("ping", () -> new CommandLine(new PingCommand(context)));
        commands.put("snapshot", () -> new CommandLine(new SnapshotCommand(context)));
        commands.put("version", () -> new CommandLine(new VersionCommand(context)));
        commands.put("follow", () -> new CommandLine(new FollowCommand(context)));
        commands.put("stream", () -> StreamCommand.commandLine(context));
        commands.put("demo", () -> new CommandLine(new DemoCommand(context)));
        commands.put("bench", () -> new CommandLine(new BenchCommand(context)));
        return commands;
    }

    /**
     * Runs the command parsed, once the environment has been checked and applied: help and version first (a bad
     * variable must not hide the help that explains it), then a warning for each variable that looks mistyped
     * ({@link UnreadVariables}), then the variables' problems as usage errors, then the flags switched on by their
     * variables.
     */
    private static int execute(CommandLine.ParseResult parsed, EnvironmentDefaults environment, CliContext context) {
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            return help;
        }
        List<String> unread = UnreadVariables.warnings(context.environment(), parsed.commandSpec().commandLine(),
                () -> newCommandLine(context));
        if (!unread.isEmpty()) {
            Logger log = LoggerFactory.getLogger(PgCopyDbCommand.class);
            unread.forEach(log::warn);
        }
        Logging.problem(context.environment()).ifPresent(problem -> {
            throw new CommandLine.ParameterException(leaf(parsed).commandSpec().commandLine(), problem);
        });
        environment.check(parsed);
        environment.applyFlags(parsed);
        if (Logging.settings(parsed.originalArgs(), context.environment()).level() == Logging.Level.DEBUG) {
            context.debug(true);
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    private static CommandLine.ParseResult leaf(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult p = parsed;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p;
    }

    @Override
    public Integer call() {
        throw new UsageException("missing command: use clone, copy, dump, restore, follow, stream, list, compare, ping, "
                + "snapshot, version, demo or bench (see 'pgcopydb --help')");
    }
}
