package io.pgcopydb.cli;

import io.pgcopydb.filter.ListedCollation;
import io.pgcopydb.filter.ListedDatabase;
import io.pgcopydb.filter.ListedDependency;
import io.pgcopydb.filter.ListedExtension;
import io.pgcopydb.filter.ListedObject;
import io.pgcopydb.filter.SourceListing;
import io.pgcopydb.model.TablePart;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints what {@code list} read: a table as pgcopydb prints it, or with {@code --json} one JSON object per command,
 * whose field names are stable (README, "list"):
 * <ul>
 *   <li>{@code databases}: {@code {"databases":[{oid, name, bytes}]}} ({@code bytes} null when not allowed)</li>
 *   <li>{@code extensions}: {@code {"extensions":[{oid, name, schema, version, relocatable, config_tables}]}}</li>
 *   <li>{@code collations}: {@code {"collations":[{oid, schema, name, provider, locale, description}]}}</li>
 *   <li>{@code tables|indexes|sequences}: {@code {"<what>":[{oid, schema, name, kind, table, bytes, decision}],
 *       "skipped": bool, "errors":[…], "warnings":[…]}} ({@code table} only for indexes; {@code decision}
 *       {@code copy|schema_only|skip})</li>
 *   <li>{@code table-parts}: {@code {"table":{oid, schema, name, bytes}, "split":"none|by_value|by_page",
 *       "parts":[{number, count, predicate, bytes}]}} ({@code predicate} null for a whole table)</li>
 *   <li>{@code depends}: {@code {"dependencies":[{class_oid, oid, type, identity, depends_on}]}}</li>
 *   <li>{@code schema}: {@code {"skipped_schemas":[…], "tables":[…], "indexes":[…], "sequences":[…], "errors",
 *       "warnings"}}, the objects a copy creates, as in {@code tables}</li>
 * </ul>
 */
final class ListOutput {
    private final PrintWriter out;
    private final boolean json;

    ListOutput(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    void databases(List<ListedDatabase> databases) {
        if (json) {
            out.println(CliJson.obj().raw("databases", CliJson.array(databases, d -> CliJson.obj().num("oid", d.oid())
                    .str("name", d.name()).raw("bytes", d.bytes().isPresent() ? Long.toString(d.bytes().getAsLong())
                            : "null").toString())));
            return;
        }
        table(List.of("OID", "Name", "Size"), databases.stream().map(d -> List.of(Long.toString(d.oid()), d.name(),
                d.bytes().isPresent() ? pretty(d.bytes().getAsLong()) : "(no CONNECT)")).toList(), "RLR",
                databases.size() + " databases");
    }

    void extensions(List<ListedExtension> extensions) {
        if (json) {
            out.println(CliJson.obj().raw("extensions", CliJson.array(extensions, e -> CliJson.obj()
                    .num("oid", e.oid()).str("name", e.name()).str("schema", e.schema()).str("version", e.version())
                    .bool("relocatable", e.relocatable()).num("config_tables", e.configTables()).toString())));
            return;
        }
        table(List.of("OID", "Name", "Schema", "Version", "Relocatable", "Config tables"), extensions.stream()
                .map(e -> List.of(Long.toString(e.oid()), e.name(), e.schema(), e.version(),
                        e.relocatable() ? "yes" : "no", Integer.toString(e.configTables()))).toList(), "RLLLLR",
                extensions.size() + " extensions");
    }

    void collations(List<ListedCollation> collations) {
        if (json) {
            out.println(CliJson.obj().raw("collations", CliJson.array(collations, c -> CliJson.obj()
                    .num("oid", c.oid()).str("schema", c.name().schema()).str("name", c.name().name())
                    .str("provider", c.provider()).str("locale", c.locale()).str("description", c.description())
                    .toString())));
            return;
        }
        table(List.of("OID", "Schema", "Name", "Provider", "Locale", "Description"), collations.stream()
                .map(c -> List.of(Long.toString(c.oid()), c.name().schema(), c.name().name(), c.provider(),
                        c.locale(), c.description())).toList(), "RLLLLL", collations.size() + " collations");
    }

    void dependencies(List<ListedDependency> dependencies) {
        if (json) {
            out.println(CliJson.obj().raw("dependencies", CliJson.array(dependencies, d -> CliJson.obj()
                    .num("class_oid", d.classOid()).num("oid", d.oid()).str("type", d.type())
                    .str("identity", d.identity()).str("depends_on", d.dependsOn()).toString())));
            return;
        }
        table(List.of("OID", "Type", "Identity", "Depends on"), dependencies.stream().map(d -> List.of(
                Long.toString(d.oid()), d.type(), d.identity(), d.dependsOn())).toList(), "RLLL",
                dependencies.size() + " objects left out with what the filter skips");
    }

    void tableParts(List<TablePart> parts) {
        TablePart first = parts.get(0);
        if (json) {
            out.println(CliJson.obj().raw("table", CliJson.obj().num("oid", first.table().oid())
                    .str("schema", first.table().name().schema()).str("name", first.table().name().name())
                    .num("bytes", first.table().bytes()).toString())
                    .str("split", word(first.split()))
                    .raw("parts", CliJson.array(parts, p -> CliJson.obj().num("number", p.number())
                            .num("count", p.count()).str("predicate", p.predicate().orElse(null))
                            .num("bytes", p.bytes()).toString())));
            return;
        }
        out.println("Table " + first.table().name() + " (" + pretty(first.table().bytes()) + "): "
                + (first.isWholeTable() ? "will not be split" : "split in " + first.count() + " parts "
                        + (first.split() == TablePart.Split.BY_PAGE ? "by pages (ctid)" : "by ranges of its key")));
        table(List.of("Part", "Count", "Size", "Predicate"), parts.stream().map(p -> List.of(
                Integer.toString(p.number()), Integer.toString(p.count()), pretty(p.bytes()),
                p.predicate().orElse("(whole table)"))).toList(), "RRRL", parts.size() + " parts");
    }

    void objects(String what, boolean skipped, List<ListedObject> objects, SourceListing listing) {
        if (json) {
            out.println(CliJson.obj().raw(what, CliJson.array(objects, ListOutput::object)).bool("skipped", skipped)
                    .raw("errors", CliJson.strings(listing.errors()))
                    .raw("warnings", CliJson.strings(listing.warnings())));
            return;
        }
        boolean indexes = what.equals("indexes");
        boolean sequences = what.equals("sequences");
        List<String> headers = new ArrayList<>(List.of("OID", "Schema", "Name"));
        StringBuilder align = new StringBuilder("RLL");
        if (indexes) {
            headers.add("Table");
            align.append('L');
        }
        if (!sequences) {
            headers.addAll(List.of("Kind", "On-disk size"));
            align.append("LR");
        }
        headers.add(skipped ? "Decision" : "Copy");
        align.append('L');
        List<List<String>> rows = new ArrayList<>();
        for (ListedObject o : objects) {
            List<String> row = new ArrayList<>(List.of(Long.toString(o.oid()), o.name().schema(), o.name().name()));
            if (indexes) {
                row.add(o.table().map(Object::toString).orElse(""));
            }
            if (!sequences) {
                row.addAll(List.of(o.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                        pretty(o.bytes())));
            }
            row.add(decision(o));
            rows.add(row);
        }
        table(headers, rows, align.toString(), objects.size() + " " + what + (skipped ? " skipped" : ""));
    }

    void schema(SourceListing listing) {
        List<ListedObject> tables = listing.selectedTables();
        List<ListedObject> indexes = listing.indexes().stream().filter(o -> o.decision().selected()).toList();
        List<ListedObject> sequences = listing.sequences().stream().filter(o -> o.decision().selected()).toList();
        if (json) {
            out.println(CliJson.obj().raw("skipped_schemas", CliJson.strings(listing.skippedSchemas()))
                    .raw("tables", CliJson.array(tables, ListOutput::object))
                    .raw("indexes", CliJson.array(indexes, ListOutput::object))
                    .raw("sequences", CliJson.array(sequences, ListOutput::object))
                    .raw("errors", CliJson.strings(listing.errors()))
                    .raw("warnings", CliJson.strings(listing.warnings())));
            return;
        }
        out.println("Tables:");
        objects("tables", false, tables, listing);
        out.println();
        out.println("Indexes:");
        objects("indexes", false, indexes, listing);
        out.println();
        out.println("Sequences:");
        objects("sequences", false, sequences, listing);
        if (!listing.skippedSchemas().isEmpty()) {
            out.println();
            out.println("Schemas left out: " + String.join(", ", listing.skippedSchemas()));
        }
    }

    private static String object(ListedObject o) {
        CliJson.Obj obj = CliJson.obj().num("oid", o.oid()).str("schema", o.name().schema())
                .str("name", o.name().name()).str("kind", word(o.kind()));
        o.table().ifPresent(t -> obj.str("table", t.toString()));
        return obj.num("bytes", o.bytes()).str("decision", word(o.decision())).toString();
    }

    /**
     * pgcopydb's table: {@code a | b}, a dashed rule under the header; {@code align} has one letter per column,
     * {@code L} or {@code R}.
     */
    private void table(List<String> headers, List<List<String>> rows, String align, String count) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        line(headers, widths, align);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.println(rule);
        rows.forEach(row -> line(row, widths, align));
        out.println("(" + count + ")");
    }

    private void line(List<String> cells, int[] widths, String align) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            line.append(i == 0 ? "" : " | ").append(align.charAt(i) == 'R' ? pad + cell : cell + pad);
        }
        out.println(line.toString().stripTrailing());
    }

    /** {@code 8192 B}, {@code 1.5 MB}: powers of 1024, one decimal. */
    static String pretty(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String decision(ListedObject o) {
        return switch (o.decision()) {
            case COPY -> "yes";
            case SCHEMA_ONLY -> "schema only";
            case SKIP -> "skipped";
        };
    }

    private static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
