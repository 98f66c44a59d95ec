package io.pgcopydb.internal.follow;

import io.pgcopydb.internal.postgres.SqlText;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A small transaction sent in one round trip: its changes, the origin's progress and the {@code COMMIT}, as one
 * script of statements with the values written as literals ({@code 'text'::type}; the session keeps {@code
 * standard_conforming_strings} on). On a busy machine a round trip costs more than parsing a few short statements,
 * and most transactions of an OLTP source are small: this is what lets the applier keep up with them. A transaction
 * that outgrows {@value #MAX_CHANGES} changes or {@value #MAX_CHARS} characters goes the prepared, batched way
 * instead ({@link ApplyBatch}). Consecutive inserts into one table become one multi-row {@code INSERT}.
 * Not thread-safe.
 */
final class ApplyScript {
    static final int MAX_CHANGES = 64;
    static final long MAX_CHARS = 64 * 1024;

    /** A held change: a row change, or a statement of its own ({@code TRUNCATE}). */
    record Held(RowChange row, String sql) {
    }

    private final List<Held> held = new ArrayList<>();
    private long chars;

    /** Holds {@code row}; {@code false} (and nothing held) when the transaction is too large for a script. */
    boolean hold(RowChange row) {
        if (held.size() >= MAX_CHANGES || chars + row.chars() > MAX_CHARS) {
            return false;
        }
        held.add(new Held(row, null));
        chars += row.chars();
        return true;
    }

    /** Holds a statement of its own; {@code false} when the transaction is too large for a script. */
    boolean hold(String sql) {
        if (held.size() >= MAX_CHANGES) {
            return false;
        }
        held.add(new Held(null, sql));
        return true;
    }

    /** What is held, in order, and forgets it. */
    List<Held> drain() {
        List<Held> all = List.copyOf(held);
        clear();
        return all;
    }

    void clear() {
        held.clear();
        chars = 0;
    }

    /**
     * Sends what is held followed by {@code tail} (the origin's progress and {@code COMMIT}) in one round trip.
     *
     * @return the updates and deletes that found no row
     */
    long execute(Connection target, String tail) throws SQLException {
        StringBuilder script = new StringBuilder(256 + (int) Math.min(chars * 2, Integer.MAX_VALUE / 2));
        List<Boolean> counted = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            Held h = held.get(i);
            if (h.sql() != null) {
                script.append(h.sql());
                counted.add(false);
            } else if (h.row().kind() == ApplyBatch.Kind.INSERT) {
                int j = i;
                List<String> values = new ArrayList<>();
                while (j < held.size() && insertInto(held.get(j), h.row().statements())) {
                    values.addAll(java.util.Arrays.asList(held.get(j).row().values()));
                    j++;
                }
                inline(script, ApplySql.insert(h.row().statements().table(), j - i), values.toArray(String[]::new));
                counted.add(false);
                i = j - 1;
            } else {
                inline(script, h.row().sql().get(), h.row().values());
                counted.add(true);
            }
            script.append(";\n");
        }
        script.append(tail);
        long missing = 0;
        try (Statement s = target.createStatement()) {
            boolean resultSet = s.execute(script.toString());
            for (int i = 0; ; i++) {
                int count = resultSet ? -2 : s.getUpdateCount();
                if (!resultSet && count == -1) {
                    break;
                }
                if (i < counted.size() && counted.get(i) && count == 0) {
                    missing++;
                }
                resultSet = s.getMoreResults();
            }
        } finally {
            clear();
        }
        return missing;
    }

    private static boolean insertInto(Held h, ApplyStatements table) {
        return h.row() != null && h.row().kind() == ApplyBatch.Kind.INSERT && h.row().statements() == table;
    }

    /**
     * Appends {@code template} with each {@code ?} outside a quoted identifier replaced by the next value as a
     * literal, or {@code NULL}.
     */
    static void inline(StringBuilder out, String template, String[] values) {
        int next = 0;
        boolean quoted = false;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '"') {
                quoted = !quoted; // a doubled quote inside an identifier toggles twice: still inside
                out.append(c);
            } else if (c == '?' && !quoted) {
                String v = values[next++];
                out.append(v == null ? "NULL" : SqlText.literal(v));
            } else {
                out.append(c);
            }
        }
        if (next != values.length) {
            throw new IllegalStateException(values.length + " values for " + next + " placeholders");
        }
    }
}
