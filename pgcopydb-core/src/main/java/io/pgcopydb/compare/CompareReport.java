package io.pgcopydb.compare;

import io.pgcopydb.internal.Wiring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The immutable result of comparing two databases: every {@link Difference}, the data comparison of each table,
 * and how much was compared. {@link #toText()} renders it for people (a per-table table like pgcopydb's, the
 * differences one per line, a final line with the counts), {@link #toJson()} for tools.
 *
 * @param differences every difference found, schema first, then data, each group in a stable order
 * @param tables the data comparison of each table and populated materialized view (empty when data was not
 *     compared)
 * @param objectsCompared how many schema objects were compared (0 when the schema was not)
 * @param rowsCompared how many rows were compared: per table the larger side's count, added up — the source's rows
 *     when the tables are identical (0 when data was not compared)
 * @param schemaCompared whether the schema was compared
 * @param dataCompared whether the data was compared
 * @param duration how long the comparison took
 */
public record CompareReport(List<Difference> differences, List<TableComparison> tables, long objectsCompared,
        long rowsCompared, boolean schemaCompared, boolean dataCompared, Duration duration) {

    /** Copies the lists. */
    public CompareReport {
        differences = List.copyOf(differences);
        tables = List.copyOf(tables);
        Objects.requireNonNull(duration, "duration");
    }

    /** Whether nothing differs. */
    public boolean isIdentical() {
        return differences.isEmpty();
    }

    /** The tables whose rows differ. */
    public List<TableComparison> differingTables() {
        return tables.stream().filter(t -> !t.identical()).toList();
    }

    /**
     * One line: {@code compared N schema objects and M rows: identical} or {@code …: K differences (…)}.
     */
    public String summaryLine() {
        StringBuilder sb = new StringBuilder("compared ");
        if (schemaCompared) {
            sb.append(objectsCompared).append(" schema objects");
        }
        if (dataCompared) {
            sb.append(schemaCompared ? " and " : "").append(tables.size()).append(" tables (")
                    .append(String.format(Locale.ROOT, "%,d", rowsCompared)).append(" rows)");
        }
        if (isIdentical()) {
            return sb.append(": identical").toString();
        }
        long schema = differences.stream().filter(d -> d.area() == Difference.Area.SCHEMA).count();
        return sb.append(": ").append(differences.size()).append(differences.size() == 1 ? " difference" : " differences")
                .append(" (").append(schema).append(" in the schema, ").append(differences.size() - schema)
                .append(" in the data, ").append(differingTables().size()).append(" table(s) with differing rows)")
                .toString();
    }

    /**
     * The per-table data comparison (schema, name, rows on each side, result), then every difference on a line of
     * its own, then {@link #summaryLine()}.
     */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        if (dataCompared && !tables.isEmpty()) {
            String[] headers = {"Schema", "Name", "Source rows", "Target rows", "Result"};
            List<String[]> rows = new ArrayList<>();
            for (TableComparison t : tables) {
                rows.add(new String[] {t.table().schema(), t.table().name(), Long.toString(t.sourceRows()),
                    Long.toString(t.targetRows()), t.identical() ? "same" : "DIFFERENT"});
            }
            int[] widths = new int[headers.length];
            for (int i = 0; i < headers.length; i++) {
                widths[i] = headers[i].length();
                for (String[] r : rows) {
                    widths[i] = Math.max(widths[i], r[i].length());
                }
            }
            row(sb, headers, widths);
            for (int i = 0; i < widths.length; i++) {
                sb.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
            }
            sb.append('\n');
            rows.forEach(r -> row(sb, r, widths));
            sb.append('\n');
        }
        differences.forEach(d -> sb.append(d).append('\n'));
        return sb.append(summaryLine()).append('\n').toString();
    }

    /** The report as one JSON object. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"identical\":").append(isIdentical())
                .append(",\"schemaCompared\":").append(schemaCompared).append(",\"dataCompared\":").append(dataCompared)
                .append(",\"objectsCompared\":").append(objectsCompared).append(",\"rowsCompared\":").append(rowsCompared)
                .append(",\"durationMillis\":").append(duration.toMillis()).append(",\"differences\":[");
        for (int i = 0; i < differences.size(); i++) {
            Difference d = differences.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"area\":").append(quote(d.area().name()))
                    .append(",\"object\":").append(quote(d.object())).append(",\"aspect\":").append(quote(d.aspect()))
                    .append(",\"source\":").append(d.source().map(CompareReport::quote).orElse("null"))
                    .append(",\"target\":").append(d.target().map(CompareReport::quote).orElse("null")).append('}');
        }
        sb.append("],\"tables\":[");
        for (int i = 0; i < tables.size(); i++) {
            TableComparison t = tables.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"schema\":").append(quote(t.table().schema()))
                    .append(",\"name\":").append(quote(t.table().name())).append(",\"sourceRows\":")
                    .append(t.sourceRows()).append(",\"targetRows\":").append(t.targetRows())
                    .append(",\"identical\":").append(t.identical()).append(",\"differingRanges\":[");
            for (int j = 0; j < t.differingRanges().size(); j++) {
                sb.append(j == 0 ? "" : ",").append(quote(t.differingRanges().get(j)));
            }
            sb.append("],\"durationMillis\":").append(t.duration().toMillis()).append('}');
        }
        return sb.append("]}").toString();
    }

    private static void row(StringBuilder sb, String[] cells, int[] widths) {
        for (int i = 0; i < cells.length; i++) {
            sb.append(i == 0 ? "" : " | ");
            sb.append(i >= 2 && i <= 3 ? " ".repeat(widths[i] - cells[i].length()) + cells[i]
                    : cells[i] + " ".repeat(widths[i] - cells[i].length()));
        }
        sb.append('\n');
    }

    private static String quote(String s) {
        return Wiring.jsonString(s);
    }
}
