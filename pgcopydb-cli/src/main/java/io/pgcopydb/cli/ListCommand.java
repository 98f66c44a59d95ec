package io.pgcopydb.cli;

import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.ListedObject;
import io.pgcopydb.filter.SourceListing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pgcopydb list tables|indexes|sequences [--filters FILE] [--list-skipped]}: what a copy with the same
 * filter file would copy, read from the source and written nowhere. As in pgcopydb, {@code --list-skipped} lists
 * what the filter leaves out instead. The filter's errors (which would stop a copy) are printed on standard error
 * and exit with 4; its warnings are logged.
 */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "List the source's tables, indexes or sequences that a copy with --filters would copy "
                + "(or, with --list-skipped, leave out).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad arguments", "3:the source could not be reached",
            "4:the filter cannot be applied (the copy would refuse to start)"})
public final class ListCommand implements Callable<Integer> {
    /** What to list. */
    enum What {
        tables, indexes, sequences
    }

    private final CliContext context;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "tables|indexes|sequences",
            description = "What to list: ${COMPLETION-CANDIDATES}.")
    private What what;

    @Option(names = "--source", paramLabel = "URI", order = 1,
            description = "Source database.")
    private String source;

    @Option(names = {"--filters", "--filter"}, paramLabel = "FILE", order = 2,
            description = "A pgcopydb filter file; without it everything is selected.")
    private Path filters;

    @Option(names = "--list-skipped", order = 3, description = "List what the filter leaves out instead.")
    private boolean listSkipped;

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
        ConnectionSpec from = ConnectionArguments.required(context, "--source", source,
                ConnectionArguments.SOURCE_VARIABLE);
        SourceListing listing = DatabaseCopy.from(from).list(FilterArguments.read(filters));
        List<ListedObject> objects = switch (what) {
            case tables -> listing.tables();
            case indexes -> listing.indexes();
            case sequences -> listing.sequences();
        };
        List<ListedObject> shown = objects.stream().filter(o -> o.decision().selected() != listSkipped).toList();
        print(spec.commandLine().getOut(), shown);
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ListCommand.class);
        listing.warnings().forEach(w -> log.warn("filter: {}", w));
        if (!listing.errors().isEmpty()) {
            throw new PgCopyException(ErrorCode.FILTER_REFUSED, "the filter cannot be applied: "
                    + String.join("; ", listing.errors()));
        }
        return ExitCodes.OK;
    }

    private void print(PrintWriter out, List<ListedObject> objects) {
        boolean indexes = what == What.indexes;
        boolean sequences = what == What.sequences;
        List<Column> columns = new java.util.ArrayList<>();
        columns.add(new Column("OID", o -> Long.toString(o.oid()), true));
        columns.add(new Column("Schema", o -> o.name().schema(), false));
        columns.add(new Column("Name", o -> o.name().name(), false));
        if (indexes) {
            columns.add(new Column("Table", o -> o.table().map(Object::toString).orElse(""), false));
        }
        if (!sequences) {
            columns.add(new Column("Kind", o -> o.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '), false));
            columns.add(new Column("On-disk size", o -> prettyBytes(o.bytes()), true));
        }
        columns.add(new Column(listSkipped ? "Decision" : "Copy", ListCommand::decision, false));
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).title.length();
            for (ListedObject o : objects) {
                widths[i] = Math.max(widths[i], columns.get(i).value.apply(o).length());
            }
        }
        StringBuilder header = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            header.append(i == 0 ? "" : " | ").append(pad(columns.get(i).title, widths[i], columns.get(i).right));
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.println(header);
        out.println(rule);
        for (ListedObject o : objects) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                line.append(i == 0 ? "" : " | ").append(pad(c.value.apply(o), widths[i], c.right));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println("(" + objects.size() + " " + what + (listSkipped ? " skipped)" : ")"));
        out.flush();
    }

    private static String decision(ListedObject o) {
        return switch (o.decision()) {
            case COPY -> "yes";
            case SCHEMA_ONLY -> "schema only";
            case SKIP -> "skipped";
        };
    }

    private record Column(String title, Function<ListedObject, String> value, boolean right) {
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    static String prettyBytes(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
