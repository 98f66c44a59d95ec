package io.pgcopydb.cli;

import java.util.List;

/** A plain-text table as pgcopydb prints its summaries: {@code a | b}, a dashed rule under the header. */
final class TextTable {
    private TextTable() {
    }

    /**
     * Renders {@code rows} under {@code headers}: the first {@code leftColumns} columns and the last are aligned
     * left (names, verdicts), the others right (figures).
     *
     * @param headers the column names
     * @param rows the cells, each row as long as {@code headers}
     * @param leftColumns how many leading columns are aligned left
     * @return the table, each line ending with a newline
     */
    static String render(List<String> headers, List<List<String>> rows, int leftColumns) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, widths, leftColumns);
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        sb.append('\n');
        rows.forEach(row -> line(sb, row, widths, leftColumns));
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths, int leftColumns) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            line.append(i == 0 ? "" : " | ");
            line.append(i < leftColumns || i == widths.length - 1 ? cell + pad : pad + cell);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}
