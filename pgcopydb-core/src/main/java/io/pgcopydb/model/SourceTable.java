package io.pgcopydb.model;

import java.util.List;

/**
 * A source table whose rows are copied: an ordinary table, an unlogged table, or a leaf partition.
 *
 * @param oid the table's OID on the source
 * @param name the table's qualified name
 * @param bytes on-disk size of heap and TOAST, used to order the copy
 * @param estimatedRows {@code reltuples} on the source (may be -1 when never analyzed)
 * @param columns the columns to copy, in attribute order: generated and dropped columns excluded
 * @param partition whether the table is a partition of a partitioned table
 */
public record SourceTable(long oid, QualifiedName name, long bytes, long estimatedRows, List<String> columns,
        boolean partition) {

    /** Copies the column list. */
    public SourceTable {
        columns = List.copyOf(columns);
    }

    /** The column list quoted for SQL: {@code ("a", "b")}; empty for a table without columns. */
    public String quotedColumnList() {
        if (columns.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(QualifiedName.quoteIdent(columns.get(i)));
        }
        return sb.append(')').toString();
    }
}
