package io.pgcopydb.cli;

import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.WorkDirectoryStatus;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.ListedObject;
import io.pgcopydb.filter.SourceListing;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SplitSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pgcopydb list databases|extensions|collations|tables|table-parts|sequences|indexes|depends|schema|progress}:
 * what the source holds and what a copy with the same filter file would copy, read from the source and written
 * nowhere; or, for {@code progress}, where the copy of a work directory stands, read from its files. As in
 * pgcopydb, {@code --list-skipped} lists what the filter leaves out instead. The filter's errors (which would stop a
 * copy) are printed on standard error and exit with 4; its warnings are logged. With {@code --json}, one JSON object
 * on standard output ({@link ListOutput} documents the fields).
 */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "List the source's databases, extensions, collations, tables (and how a table would be "
                + "split), sequences, indexes, what is left out with the tables a filter skips, or the selected "
                + "schema; or where the copy of a work directory stands (progress).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad arguments", "3:the source could not be reached",
            "4:the filter cannot be applied (the copy would refuse to start)"})
public final class ListCommand implements Callable<Integer> {
    /** What to list, as pgcopydb spells it. */
    enum What {
        DATABASES, EXTENSIONS, COLLATIONS, TABLES, TABLE_PARTS, SEQUENCES, INDEXES, DEPENDS, SCHEMA, PROGRESS;

        /** The word on the command line: {@code table-parts}. */
        String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Every word, in order. */
        static List<String> wordList() {
            return Arrays.stream(values()).map(What::word).toList();
        }

        static String words() {
            return String.join(", ", wordList());
        }

        static What of(String word) {
            return Arrays.stream(values()).filter(w -> w.word().equals(word)).findFirst().orElseThrow(() -> {
                String meant = Suggestions.didYouMean(Suggestions.closest(word, wordList()));
                return new UsageException("cannot list '" + word + "': " + (meant.isEmpty() ? "" : meant + " ")
                        + "use one of " + words());
            });
        }
    }

    /** The words picocli offers for completion and in the help. */
    static final class Words implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return What.wordList().iterator();
        }
    }

    private final CliContext context;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WHAT", completionCandidates = Words.class,
            description = "What to list: ${COMPLETION-CANDIDATES}.")
    private String what;

    @Option(names = "--source", paramLabel = "URI", order = 1,
            description = "Source database.")
    private String source;

    @Option(names = "--target", paramLabel = "URI", order = 2,
            description = "progress: with --source, read the pair's default work directory (when no --dir).")
    private String target;

    @Option(names = "--dir", paramLabel = "DIR", order = 3,
            description = "progress: the work directory of the copy (or $" + CloneCommand.DIR_VARIABLE + ").")
    private Path dir;

    @Option(names = {"--filters", "--filter"}, paramLabel = "FILE", order = 4,
            description = "A pgcopydb filter file; without it everything is selected.")
    private Path filters;

    @Option(names = "--list-skipped", order = 5, description = "List what the filter leaves out instead.")
    private boolean listSkipped;

    @Option(names = "--schema-name", paramLabel = "NAME", order = 6,
            description = "table-parts: the table's schema (default: public).")
    private String schemaName = "public";

    @Option(names = "--table-name", paramLabel = "NAME", order = 7, description = "table-parts: the table.")
    private String tableName;

    @Option(names = "--split-tables-larger-than", paramLabel = "SIZE", order = 8,
            description = "table-parts: split a table larger than this (0, the default, never splits).")
    private String splitTablesLargerThan = "0";

    @Option(names = "--split-max-parts", paramLabel = "N", order = 9,
            description = "table-parts: the most parts (default: 4, clone's --table-jobs default).")
    private int splitMaxParts = 4;

    @Option(names = "--skip-split-by-ctid", order = 10,
            description = "table-parts: a table without an integer key is not split by pages.")
    private boolean skipSplitByCtid;

    @Option(names = "--json", order = 11, description = "Print one JSON object instead of a table.")
    private boolean json;

    @Mixin
    private DebugOption debug;

    /**
     * A command reading its environment fallbacks from {@code context}.
     *
     * @param context the invocation's environment and debug flag
     */
    public ListCommand(CliContext context) {
        this.context = context;
        this.debug = new DebugOption(context);
    }

    @Override
    public Integer call() {
        What w = What.of(what);
        PrintWriter out = spec.commandLine().getOut();
        if (w == What.PROGRESS) {
            WorkDirectoryStatus status = WorkDirectoryStatus.read(progressDirectory());
            out.println(json ? status.toJson() : ProgressStatusText.render(status).stripTrailing());
            out.flush();
            return ExitCodes.OK;
        }
        ConnectionSpec from = ConnectionArguments.required(context, "--source", source,
                ConnectionArguments.SOURCE_VARIABLE);
        DatabaseCopy.Source src = DatabaseCopy.from(from);
        ListOutput print = new ListOutput(out, json);
        switch (w) {
            case DATABASES -> print.databases(src.databases());
            case EXTENSIONS -> print.extensions(src.extensions());
            case COLLATIONS -> print.collations(src.collations());
            case DEPENDS -> print.dependencies(src.dependencies(FilterArguments.read(filters)));
            case TABLE_PARTS -> print.tableParts(src.tableParts(table(), split()));
            default -> {
                return objects(w, src.list(FilterArguments.read(filters)), print);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** tables, indexes, sequences and schema: the filter's selection, with its errors and warnings. */
    private int objects(What w, SourceListing listing, ListOutput print) {
        if (w == What.SCHEMA) {
            print.schema(listing);
        } else {
            List<ListedObject> objects = switch (w) {
                case TABLES -> listing.tables();
                case INDEXES -> listing.indexes();
                default -> listing.sequences();
            };
            List<ListedObject> shown = objects.stream().filter(o -> o.decision().selected() != listSkipped)
                    .toList();
            print.objects(w.word(), listSkipped, shown, listing);
        }
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ListCommand.class);
        listing.warnings().forEach(warning -> log.warn("filter: {}", warning));
        if (!listing.errors().isEmpty()) {
            throw new PgCopyException(ErrorCode.FILTER_REFUSED, "the filter cannot be applied: "
                    + String.join("; ", listing.errors()));
        }
        return ExitCodes.OK;
    }

    private QualifiedName table() {
        if (tableName == null || tableName.isBlank()) {
            throw new UsageException("list table-parts needs --table-name NAME (and --schema-name when not in "
                    + "public)");
        }
        return new QualifiedName(schemaName, tableName);
    }

    private SplitSettings split() {
        if (splitMaxParts < 1) {
            throw new UsageException("--split-max-parts must be at least 1, was " + splitMaxParts);
        }
        return new SplitSettings(Sizes.parseBytes("--split-tables-larger-than", splitTablesLargerThan),
                splitMaxParts, !skipSplitByCtid);
    }

    /** {@code --dir}, else {@code PGCOPYDB_DIR}, else the default directory of the pair {@code --source --target}. */
    private Path progressDirectory() {
        if (dir != null) {
            return dir;
        }
        java.util.Optional<String> variable = context.variable(CloneCommand.DIR_VARIABLE);
        if (variable.isPresent()) {
            return Path.of(variable.get());
        }
        if (source == null && target == null && context.variable(ConnectionArguments.SOURCE_VARIABLE).isEmpty()) {
            throw new UsageException("list progress needs the work directory: give --dir DIR (or set "
                    + CloneCommand.DIR_VARIABLE + "), or --source and --target of a copy run without --dir");
        }
        ConnectionSpec from = ConnectionArguments.required(context, "--source", source,
                ConnectionArguments.SOURCE_VARIABLE);
        ConnectionSpec to = ConnectionArguments.required(context, "--target", target,
                ConnectionArguments.TARGET_VARIABLE);
        return DatabaseCopy.from(from).to(to).options().workDirectory();
    }
}
