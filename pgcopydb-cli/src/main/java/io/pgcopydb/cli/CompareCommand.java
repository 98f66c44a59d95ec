package io.pgcopydb.cli;

import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.compare.Ignore;
import io.pgcopydb.connection.ConnectionSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pgcopydb compare schema|data --source URI --target URI [--filters FILE] [--table-jobs N] [--json]}: proof
 * that a copy is complete. Prints a per-table table (data) and every difference, then one line with how many
 * objects and rows were compared and how many differ; exits {@value ExitCodes#DIFFERENT} when anything differs,
 * never 0. The flags of {@code clone} that leave something out ({@code --no-owner}, …) leave it out of the
 * comparison too ({@link IgnoreOptions}).
 */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Compare the target with the source: the schema from both catalogs, or the data by row count "
                + "and checksum per table.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:identical", "2:bad arguments", "3:a server could not be reached",
            "4:the comparison could not run (e.g. the filter cannot be applied)", "6:the databases differ"})
public final class CompareCommand implements Callable<Integer> {
    /** What to compare. */
    enum What {
        schema, data
    }

    private final CliContext context;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "schema|data", description = "What to compare: ${COMPLETION-CANDIDATES}.")
    private What what;

    @Option(names = "--source", paramLabel = "URI", order = 1,
            description = "Source database.")
    private String source;

    @Option(names = "--target", paramLabel = "URI", order = 2,
            description = "Target database.")
    private String target;

    @Option(names = {"--filters", "--filter"}, paramLabel = "FILE", order = 3,
            description = "Compare only what a copy with this pgcopydb filter file creates.")
    private Path filters;

    @Option(names = "--table-jobs", paramLabel = "N", order = 4,
            description = "Tables compared at once on each side (default: ${DEFAULT-VALUE}).", defaultValue = "4")
    private int jobs;

    @Option(names = "--json", order = 5, description = "Print the comparison as JSON.")
    private boolean json;

    @Mixin
    private IgnoreOptions ignore = new IgnoreOptions();

    @Mixin
    private PgBinOption pgBin = new PgBinOption();

    @Mixin
    private DebugOption debug;

    /**
     * A command reading its environment fallbacks from {@code context}.
     *
     * @param context the invocation's environment and debug flag
     */
    public CompareCommand(CliContext context) {
        this.context = context;
        this.debug = new DebugOption(context);
    }

    @Override
    public Integer call() {
        if (jobs < 1) {
            throw new UsageException("--table-jobs must be at least 1, was " + jobs);
        }
        ConnectionSpec from = ConnectionArguments.required(context, "--source", source,
                ConnectionArguments.SOURCE_VARIABLE);
        ConnectionSpec to = ConnectionArguments.required(context, "--target", target,
                ConnectionArguments.TARGET_VARIABLE);
        DatabaseCompare compare = DatabaseCompare.of(from, to).filter(FilterArguments.read(filters)).jobs(jobs)
                .ignoring(ignore.ignored().toArray(Ignore[]::new));
        pgBin.applyTo(compare);
        CompareReport report = what == What.schema ? compare.schema() : compare.data();
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.toJson() + System.lineSeparator() : report.toText());
        out.flush();
        return report.isIdentical() ? ExitCodes.OK : ExitCodes.DIFFERENT;
    }
}
