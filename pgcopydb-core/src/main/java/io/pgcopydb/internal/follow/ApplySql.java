package io.pgcopydb.internal.follow;

import io.pgcopydb.internal.follow.ApplyTable.TargetColumn;
import java.util.List;
import java.util.StringJoiner;

/**
 * The statements that replay changes, as SQL text with one {@code ?} per value: every value is bound as text and
 * cast to the target column's type ({@code ?::numeric}), identifiers are quoted. Pure.
 *
 * <p>A row is found by its replica identity: the key columns with {@code =} (an index serves them), or, under
 * {@code REPLICA IDENTITY FULL}, every column sent with {@code IS NOT DISTINCT FROM} (nulls match nulls), one row
 * only — by its {@code ctid} — since a table without a key may hold duplicates and the source changed one.
 */
public final class ApplySql {

    private ApplySql() {
    }

    /** {@code INSERT} of {@code rows} rows of every written column of {@code table}. */
    public static String insert(ApplyTable table, int rows) {
        StringJoiner names = new StringJoiner(", ", " (", ")");
        StringJoiner values = new StringJoiner(", ", "(", ")");
        boolean overriding = false;
        for (TargetColumn c : table.columns()) {
            if (!c.generated()) {
                names.add(c.quoted());
                values.add("?::" + c.type());
                overriding |= c.identityAlways();
            }
        }
        if (names.length() == 3) {
            // No column to write (a table without columns, or only generated ones): rows of defaults.
            return "INSERT INTO " + table.name().quoted() + " SELECT FROM pg_catalog.generate_series(1, " + rows + ")";
        }
        String row = values.toString();
        StringBuilder sql = new StringBuilder(32 + row.length() * rows).append("INSERT INTO ")
                .append(table.name().quoted()).append(names).append(overriding ? " OVERRIDING SYSTEM VALUE" : "")
                .append(" VALUES ").append(row);
        for (int i = 1; i < rows; i++) {
            sql.append(", ").append(row);
        }
        return sql.toString();
    }

    /**
     * {@code UPDATE} setting columns {@code set} of the row whose columns {@code where} hold the values bound after
     * them.
     */
    public static String update(ApplyTable table, int[] set, int[] where) {
        StringJoiner assignments = new StringJoiner(", ");
        for (int i : set) {
            TargetColumn c = table.columns().get(i);
            assignments.add(c.quoted() + " = ?::" + c.type());
        }
        return "UPDATE " + table.name().quoted() + " SET " + assignments + " WHERE " + row(table, where);
    }

    /** {@code DELETE} of the row whose columns {@code where} hold the values bound. */
    public static String delete(ApplyTable table, int[] where) {
        return "DELETE FROM " + table.name().quoted() + " WHERE " + row(table, where);
    }

    /** {@code TRUNCATE} of {@code tables} with the source statement's options. */
    public static String truncate(List<ApplyTable> tables, boolean cascade, boolean restartIdentity) {
        StringJoiner names = new StringJoiner(", ", "TRUNCATE ", "");
        for (ApplyTable t : tables) {
            // ONLY, as the source names every table it emptied; a partitioned table refuses ONLY (its rows are in
            // its partitions, which the source's TRUNCATE emptied with it).
            names.add((t.partitioned() ? "" : "ONLY ") + t.name().quoted());
        }
        return names + (restartIdentity ? " RESTART IDENTITY" : "") + (cascade ? " CASCADE" : "");
    }

    private static String row(ApplyTable table, int[] where) {
        if (where.length == 0) {
            throw new ApplyException("a change to " + table.name() + " carries no replica identity value to find its"
                    + " row by: give the source table a primary key or REPLICA IDENTITY FULL");
        }
        StringJoiner match = new StringJoiner(" AND ");
        boolean full = table.relation().fullIdentity();
        for (int i : where) {
            TargetColumn c = table.columns().get(i);
            if (!full) {
                match.add(c.quoted() + " = ?::" + c.type());
            } else if (c.textCompared()) {
                match.add(c.quoted() + "::text IS NOT DISTINCT FROM ?::text");
            } else {
                match.add(c.quoted() + " IS NOT DISTINCT FROM ?::" + c.type());
            }
        }
        if (!full) {
            return match.toString();
        }
        String self = table.partitioned() ? "tableoid, ctid" : "ctid";
        return "(" + self + ") = (SELECT " + self + " FROM " + table.name().quoted() + " WHERE " + match
                + " LIMIT 1)";
    }
}
