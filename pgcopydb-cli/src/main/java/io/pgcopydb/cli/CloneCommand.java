package io.pgcopydb.cli;

import io.pgcopydb.CopyBuilder;
import io.pgcopydb.CopyReport;
import io.pgcopydb.CopyStep;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.FollowBuilder;
import io.pgcopydb.FollowReport;
import io.pgcopydb.Strategy;
import io.pgcopydb.connection.ConnectionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pgcopydb clone} (also {@code fork} and {@code copy db}, as in pgcopydb): copies the source database
 * into the empty target database, then prints the two summary tables on standard output.
 */
@Command(name = "clone", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Copy a database into an empty database on another server: schema, data, indexes, "
                + "constraints, sequences and large objects, then VACUUM ANALYZE.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success", "2:bad arguments", "3:a server could not be reached", "4:the copy failed",
            "5:cancelled",
        })
public final class CloneCommand implements Callable<Integer> {
    /** Environment variable read when {@code --dir} is absent ({@link EnvironmentDefaults}). */
    public static final String DIR_VARIABLE = "PGCOPYDB_DIR";
    /** The schema dump's name in the work directory (see {@link CopyStep}). */
    static final String DUMP_FILE = "schema.dump";

    private final CliContext context;

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", paramLabel = "URI", order = 1,
            description = "Source database: postgres:// URI, key=value string or JDBC URL. A missing password comes "
                    + "from $PGPASSWORD.")
    private String source;

    @Option(names = "--target", paramLabel = "URI", order = 2,
            description = "Target database, which must exist and be empty.")
    private String target;

    @Mixin
    private JobOptions jobs = new JobOptions();

    @Option(names = "--dir", paramLabel = "DIR", order = 6,
            description = "Work directory for the schema dump, lists, journal and summary.json, kept afterwards "
                    + "(default: a temporary directory, removed after a successful copy).")
    private Path dir;

    @Option(names = "--not-consistent", order = 7,
            description = "Do not share one snapshot between the source readers (only for an idle source).")
    private boolean notConsistent;

    @Option(names = "--skip-vacuum", order = 8, description = "Do not VACUUM ANALYZE the copied tables.")
    private boolean skipVacuum;

    @Option(names = "--skip-large-objects", order = 9, description = "Do not copy large objects' data.")
    private boolean skipLargeObjects;

    @Option(names = {"--filters", "--filter"}, paramLabel = "FILE", order = 10,
            description = "Copy only what this pgcopydb filter file selects ([include-only-table], "
                    + "[exclude-schema], [exclude-table-data]… sections).")
    private Path filters;

    @Option(names = "--split-tables-larger-than", paramLabel = "SIZE", order = 11,
            description = "Copy tables larger than SIZE of heap and TOAST (e.g. 512MB, 10GB, or bytes) in several "
                    + "parts at once, about one per SIZE: on ranges of their integer key, else of their pages (ctid; "
                    + "such tables are copied whole from sources before PostgreSQL 14).")
    private String splitTablesLargerThan;

    @Option(names = "--skip-split-by-ctid", order = 12,
            description = "Copy a table without an integer key whole instead of splitting it by pages (ctid).")
    private boolean skipSplitByCtid;

    @Option(names = "--use-copy-binary", order = 12,
            description = "Move rows in binary COPY format where both servers read every column's type the same "
                    + "way (same major version and encoding; no composite, reg* or user-typed array column), "
                    + "whatever the size: the default from 64 MB of tables. Other tables in text, each logged and "
                    + "marked in the summary with why.")
    private boolean useCopyBinary;

    @Option(names = "--use-copy-text", order = 12,
            description = "Move every table's rows in COPY's text format, as pg_dump does, instead of binary "
                    + "where both servers allow it.")
    private boolean useCopyText;

    @Option(names = "--split-max-parts", paramLabel = "N", order = 12,
            description = "The most parts one table is split into (default: --table-jobs).")
    private Integer splitMaxParts;

    @Option(names = "--maintenance-work-mem", paramLabel = "SIZE", order = 12, description = "maintenance_work_mem "
            + "of every index build, e.g. 512MB (default: 1GB; a big table's B-tree builds get less, sized to it).")
    private String maintenanceWorkMem;

    @Option(names = "--resume", order = 13,
            description = "Continue the interrupted copy recorded in the work directory (needs --not-consistent "
                    + "or --snapshot).")
    private boolean resume;

    @CommandLineOnly
    @Option(names = "--restart", order = 14,
            description = "Start over although the work directory records an earlier copy.")
    private boolean restart;

    @Option(names = "--snapshot", paramLabel = "ID", order = 15,
            description = "Read the source in this exported snapshot (pg_export_snapshot()) held by another session.")
    private String snapshot;

    @Option(names = "--fail-fast", order = 16,
            description = "Stop at the first failure (default: finish what can be finished - the other tables' "
                    + "data, the sequences, the large objects - then fail listing every failure; when a table's "
                    + "data failed, post-data (foreign keys, triggers, …) and the database settings wait for "
                    + "--resume, which restores them once every table is copied).")
    private boolean failFast;

    @Option(names = "--timeout", paramLabel = "DURATION", order = 17,
            description = "Cancel the copy when it runs longer (e.g. 90s, 30m, 2h); the work directory stays "
                    + "resumable.")
    private String timeout;

    @Option(names = "--retries", paramLabel = "N", order = 18,
            description = "Retries of work lost with its connection, with backoff (default 5).")
    private Integer retries;

    @Option(names = "--verify", order = 19,
            description = "After the copy, compare the target with the source (schema and data); any difference "
                    + "fails the copy.")
    private boolean verify;

    @Option(names = "--strategy", paramLabel = "auto|template|stream", order = 20,
            description = "How to copy: template = CREATE DATABASE … TEMPLATE on the source's own server (a file "
                    + "copy; the target database must not exist, no other session on the source); stream = dump, "
                    + "restore and COPY; auto (default) = template when it is safe, else stream, saying why.")
    private String strategy;

    @Option(names = "--terminate-source-sessions", order = 21,
            description = "Let the template path end the source database's other sessions instead of streaming.")
    private boolean terminateSourceSessions;

    @Option(names = "--json", order = 22,
            description = "Print the report as one JSON object on standard output instead of the summary tables "
                    + "(also after a failure, with what was done).")
    private boolean json;

    @Option(names = "--follow", order = 23,
            description = "Change data capture: set up a logical replication slot, copy in its snapshot while the "
                    + "changes are received, then apply them until --endpos (or 'stream sentinel set endpos'); "
                    + "--resume then continues the follow.")
    private boolean follow;

    @Mixin
    private FollowArguments followArguments = new FollowArguments();

    @Mixin
    private SchemaOptions schema = new SchemaOptions();

    @Mixin
    private PgBinOption pgBin = new PgBinOption();

    @Mixin
    private DebugOption debug;

    @Mixin
    private ProgressOptions progress = new ProgressOptions();

    /** pgcopydb's other spelling of {@code --skip-large-objects}; hidden to keep the help short. */
    @Option(names = "--skip-blobs", hidden = true)
    void skipBlobs(boolean on) {
        if (on) {
            skipLargeObjects = true;
        }
    }

    /** The steps of {@code copy <step>}, {@code dump} and {@code restore}; null for the whole copy. */
    private Set<CopyStep> steps;
    /** Whether the steps restore from the work directory's schema dump, which must be there already. */
    private boolean fromDump;
    /** {@code dump roles}: no step, the roles dumped into the work directory. */
    private boolean dumpsRoles;

    /**
     * A command reading its environment fallbacks from {@code context}.
     *
     * @param context the invocation's environment and debug flag
     */
    public CloneCommand(CliContext context) {
        this.context = context;
        this.debug = new DebugOption(context);
    }

    /**
     * The same command making only {@code steps} ({@link CopyBuilder#onlySteps}): {@code copy <step>}, and with
     * {@code fromDump} {@code restore <section>}, which refuses a work directory without a schema dump.
     */
    static CloneCommand ofSteps(CliContext context, Set<CopyStep> steps, boolean fromDump) {
        CloneCommand command = new CloneCommand(context);
        command.steps = Set.copyOf(steps);
        command.fromDump = fromDump;
        return command;
    }

    /** {@code dump roles}: the roles' script into the work directory ({@code roles.sql}), nothing restored. */
    static CloneCommand dumpRoles(CliContext context) {
        CloneCommand command = ofSteps(context, Set.of(), false);
        command.dumpsRoles = true;
        return command;
    }

    @Override
    public Integer call() {
        JobOptions.Jobs counts = jobs.resolve(context);
        ConnectionSpec from = ConnectionArguments.required(context, "--source", source,
                ConnectionArguments.SOURCE_VARIABLE);
        ConnectionSpec to = ConnectionArguments.required(context, "--target", target,
                ConnectionArguments.TARGET_VARIABLE);

        if (steps != null) {
            schema.forSteps(steps.contains(CopyStep.ROLES) || dumpsRoles);
        }
        CopyBuilder copy = schema.applyTo(counts.applyTo(DatabaseCopy.from(from).to(to)), context);
        if (dumpsRoles) {
            copy.roles();
        }
        if (dir != null) {
            copy.workDirectory(dir);
        }
        pgBin.applyTo(copy);
        if (notConsistent) {
            copy.notConsistent();
        }
        if (skipVacuum) {
            copy.skipVacuum();
        }
        if (skipLargeObjects) {
            copy.skipLargeObjects();
        }
        if (filters != null) {
            copy.filter(FilterArguments.read(filters));
        }
        if (splitTablesLargerThan != null) {
            copy.splitTablesLargerThan(Sizes.parseBytes(named("--split-tables-larger-than"),
                    splitTablesLargerThan));
        }
        if (splitMaxParts != null) {
            copy.splitMaxParts(positive(named("--split-max-parts"), splitMaxParts));
        }
        if (skipSplitByCtid) {
            copy.skipSplitByCtid();
        }
        if (maintenanceWorkMem != null) {
            copy.maintenanceWorkMem(Sizes.memorySetting(named("--maintenance-work-mem"), maintenanceWorkMem));
        }
        if (useCopyBinary && useCopyText) {
            throw new UsageException("--use-copy-binary and --use-copy-text contradict each other: give one (binary "
                    + "where both servers allow it is the default)");
        }
        if (useCopyText) {
            copy.useCopyText();
        }
        if (useCopyBinary) {
            copy.useCopyBinary();
        }
        if (resume && !follow) {
            copy.resume();
        }
        if (restart) {
            copy.restart();
        }
        if (snapshot != null) {
            try {
                copy.snapshot(snapshot);
            } catch (IllegalArgumentException e) {
                throw new UsageException(named("--snapshot") + ": " + e.getMessage());
            }
        }
        if (verify) {
            copy.verify();
        }
        if (strategy != null) {
            copy.strategy(strategy(named("--strategy"), strategy));
        }
        if (terminateSourceSessions) {
            copy.terminateSourceSessions();
        }
        if (!failFast) {
            // pgcopydb's default: finish everything that can be finished, then fail listing every failure.
            copy.continueOnError();
        }
        if (timeout != null) {
            copy.timeout(Sizes.parseDuration(named("--timeout"), timeout));
        }
        if (retries != null) {
            if (retries < 0) {
                String name = named("--retries");
                throw new UsageException(name + " must be >= 0, was " + retries + EnvironmentDefaults.fix(name));
            }
            copy.retries(retries);
        }

        if (steps != null) {
            copy.onlySteps(steps);
            Path archive = copy.options().workDirectory().resolve(DUMP_FILE);
            if (fromDump && !Files.isRegularFile(archive)) {
                throw new UsageException("no schema dump in " + archive.getParent() + ": run 'pgcopydb dump schema' "
                        + "with the same --dir (and --source/--target) first");
            }
            if (steps.isEmpty()) {
                boolean there = Files.isRegularFile(archive);
                progress.run(copy);
                StepCommands.printDumpResult(spec.commandLine().getOut(), from, archive, there, fromDump);
                if (dumpsRoles) {
                    spec.commandLine().getOut().println("Dumped the roles of " + from + " to "
                            + archive.resolveSibling("roles.sql") + " (readable by you only; 'pgcopydb restore roles' "
                            + "or 'copy roles' with this --dir replays it)");
                    spec.commandLine().getOut().flush();
                }
                return ExitCodes.OK;
            }
        }
        Logger log = LoggerFactory.getLogger(CloneCommand.class);
        // ConnectionSpec.toString() masks the password; the raw option value is never printed.
        log.info("Copying {} to {} with {} table jobs, {} index jobs, {} restore jobs", from, to, counts.table(),
                counts.index(), counts.restore());
        context.jsonOutput(json);
        if (follow) {
            return follow(copy);
        }
        if (followArguments.endpos != null || followArguments.slotName != null) {
            throw new UsageException("--endpos and --slot-name need --follow");
        }
        CopyReport report;
        try {
            report = progress.run(copy);
        } catch (PgCopyException e) {
            if (json) {
                // Scripts get what was done even when the copy failed; the reason follows on standard error.
                e.partialReport().ifPresent(partial -> ReportPrinter.printJson(partial, spec.commandLine().getOut()));
            }
            throw e;
        }
        if (json) {
            ReportPrinter.printJson(report, spec.commandLine().getOut());
        } else {
            ReportPrinter.print(report, spec.commandLine().getOut());
        }
        return ExitCodes.OK;
    }

    /** {@code clone --follow}: with {@code --resume}, the follow (and its copy, if it finished) continues. */
    private int follow(CopyBuilder copy) {
        FollowBuilder builder = followArguments.applyTo(copy.follow());
        if (resume) {
            builder.resume();
        }
        FollowReport report = builder.run();
        report.copy().ifPresent(r -> ReportPrinter.print(r, spec.commandLine().getOut()));
        FollowArguments.print(report, spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    /** How a message names {@code option}: the flag, or its variable when the value came from there. */
    private String named(String option) {
        return EnvironmentDefaults.origin(spec, option, context);
    }

    private static Strategy strategy(String name, String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> Strategy.AUTO;
            case "template" -> Strategy.TEMPLATE;
            case "stream" -> Strategy.STREAM;
            default -> throw new UsageException(name + " must be auto, template or stream, was " + value
                    + EnvironmentDefaults.fix(name));
        };
    }

    private static int positive(String option, int value) {
        if (value < 1) {
            throw new UsageException(option + " must be >= 1, was " + value + EnvironmentDefaults.fix(option));
        }
        return value;
    }
}
