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

    /** A group of transactions closes past these: its script stays a few hundred kilobytes. */
    static final int GROUP_CHANGES = 2_000;
    static final long GROUP_CHARS = 1024 * 1024;

    private final List<Held> held = new ArrayList<>();
    private long chars;
    /** The held changes of whole transactions (the rest are the open transaction's). */
    private int marked;
    private long markedChars;
    private long openChars;

    /** Holds {@code row}; {@code false} (and nothing held) when the transaction is too large for a script. */
    boolean hold(RowChange row) {
        if (held.size() - marked >= MAX_CHANGES || openChars + row.chars() > MAX_CHARS) {
            return false;
        }
        held.add(new Held(row, null));
        chars += row.chars();
        openChars += row.chars();
        return true;
    }

    /** Holds a statement of its own; {@code false} when the transaction is too large for a script. */
    boolean hold(String sql) {
        if (held.size() - marked >= MAX_CHANGES) {
            return false;
        }
        held.add(new Held(null, sql));
        return true;
    }

    /** The open transaction's changes are all held: they belong to the group from now on. */
    void mark() {
        marked = held.size();
        markedChars = chars;
        openChars = 0;
    }

    /** Whether the group of whole transactions reached its bound. */
    boolean groupFull() {
        return marked >= GROUP_CHANGES || markedChars >= GROUP_CHARS;
    }

    /** The number of held changes of whole transactions. */
    int marked() {
        return marked;
    }

    /** The held changes of whole transactions, in order, forgotten here; the open transaction's stay. */
    List<Held> drainMarked() {
        List<Held> whole = List.copyOf(held.subList(0, marked));
        held.subList(0, marked).clear();
        chars -= markedChars;
        marked = 0;
        markedChars = 0;
        return whole;
    }

    /** The open transaction's held changes, in order, forgotten here. */
    List<Held> drainOpen() {
        List<Held> open = List.copyOf(held.subList(marked, held.size()));
        dropOpen();
        return open;
    }

    /** Forgets the open transaction's held changes (the changes ended inside it). */
    void dropOpen() {
        held.subList(marked, held.size()).clear();
        chars = markedChars;
        openChars = 0;
    }

    void clear() {
        held.clear();
        chars = 0;
        marked = 0;
        markedChars = 0;
        openChars = 0;
    }

    /**
     * Sends the held changes of whole transactions followed by {@code tail} (the origin's progress and {@code
     * COMMIT}) in one round trip; the open transaction's stay held.
     *
     * @return the updates and deletes that found no row
     */
    long execute(Connection target, String tail) throws SQLException {
        StringBuilder script = new StringBuilder(256 + (int) Math.min(markedChars * 2, Integer.MAX_VALUE / 2));
        List<Boolean> counted = new ArrayList<>();
        for (int i = 0; i < marked; i++) {
            Held h = held.get(i);
            if (h.sql() != null) {
                script.append(h.sql());
                counted.add(false);
            } else if (h.row().kind() == ApplyBatch.Kind.INSERT) {
                int j = i;
                List<String> values = new ArrayList<>();
                while (j < marked && insertInto(held.get(j), h.row().statements())) {
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
            held.subList(0, marked).clear();
            chars -= markedChars;
            marked = 0;
            markedChars = 0;
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
