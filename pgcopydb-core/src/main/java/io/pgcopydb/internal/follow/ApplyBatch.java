package io.pgcopydb.internal.follow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A run of row changes of one shape (inserts into one table; updates of the same columns of one table by the same
 * key; deletes by the same key), sent together: inserts as multi-row {@code VALUES}, updates and deletes as one JDBC
 * batch of a prepared statement — one round trip for the run. Bounded: the applier sends it when it {@link #full()
 * is full}, so a transaction of millions of rows streams through the one target transaction and is never held.
 * Not thread-safe.
 */
final class ApplyBatch {
    /** Rows of one multi-row insert; fewer when the columns would pass the protocol's 32,767 parameters. */
    private static final int ROWS_PER_INSERT = 256;
    private static final int MAX_ROWS = 8 * ROWS_PER_INSERT;
    private static final long MAX_CHARS = 8L << 20;

    /** What the batch does. */
    enum Kind { INSERT, UPDATE, DELETE }

    private final Connection target;
    private final List<String[]> rows = new ArrayList<>();
    private ApplyStatements statements;
    private Kind kind;
    private String shape;
    private Supplier<String> sql;
    private long chars;
    private long missing;

    ApplyBatch(Connection target) {
        this.target = target;
    }

    /** Whether a change of this shape joins the run (else the run is sent first). */
    boolean accepts(ApplyStatements table, Kind kind, String shape) {
        return rows.isEmpty() || (statements == table && this.kind == kind && this.shape.equals(shape));
    }

    /**
     * Adds one change's values (set values then key values for an update).
     *
     * @param sql the statement of one change, used when the run is sent as a batch
     */
    void add(ApplyStatements table, Kind kind, String shape, Supplier<String> sql, String[] values,
            long valueChars) {
        if (rows.isEmpty()) {
            this.statements = table;
            this.kind = kind;
            this.shape = shape;
            this.sql = sql;
        }
        rows.add(values);
        chars += valueChars;
    }

    /** Whether the run reached its bound in rows or characters and must be sent before the next change. */
    boolean full() {
        return rows.size() >= MAX_ROWS || chars >= MAX_CHARS;
    }

    /** Forgets the run without sending it (its transaction was rolled back). */
    void clear() {
        rows.clear();
        chars = 0;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Updates and deletes that found no row on the target since the applier started. */
    long missing() {
        return missing;
    }

    /** The table of the run, for error messages. */
    ApplyTable table() {
        return statements.table();
    }

    /**
     * Sends the run.
     *
     * @return the rows the run held
     */
    int send() throws SQLException {
        int sent = rows.size();
        if (sent == 0) {
            return 0;
        }
        try {
            if (kind == Kind.INSERT) {
                sendInserts();
            } else {
                sendChanges();
            }
        } finally {
            rows.clear();
            chars = 0;
        }
        return sent;
    }

    private void sendInserts() throws SQLException {
        int width = rows.get(0).length;
        int perStatement = Math.max(1, Math.min(ROWS_PER_INSERT, Short.MAX_VALUE / Math.max(1, width)));
        int whole = rows.size() / perStatement;
        int next = 0;
        if (whole > 0) {
            PreparedStatement multi = statements.get(target, "I" + perStatement,
                    () -> ApplySql.insert(statements.table(), perStatement));
            for (int s = 0; s < whole; s++) {
                int p = 1;
                for (int r = 0; r < perStatement; r++) {
                    p = bind(multi, p, rows.get(next++));
                }
                multi.addBatch();
            }
            multi.executeBatch();
        }
        if (next < rows.size()) {
            PreparedStatement single = statements.get(target, "I1", sql);
            while (next < rows.size()) {
                bind(single, 1, rows.get(next++));
                single.addBatch();
            }
            single.executeBatch();
        }
    }

    private void sendChanges() throws SQLException {
        PreparedStatement s = statements.get(target, shape, sql);
        for (String[] row : rows) {
            bind(s, 1, row);
            s.addBatch();
        }
        for (int count : s.executeBatch()) {
            if (count == 0) {
                missing++;
            }
        }
    }

    private static int bind(PreparedStatement s, int first, String[] values) throws SQLException {
        int p = first;
        for (String v : values) {
            if (v == null) {
                s.setNull(p++, Types.OTHER);
            } else {
                s.setObject(p++, v, Types.OTHER);
            }
        }
        return p;
    }
}
