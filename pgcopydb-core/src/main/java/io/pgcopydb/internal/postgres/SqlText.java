package io.pgcopydb.internal.postgres;

/** Quoting for SQL text the engine builds. */
public final class SqlText {
    private SqlText() {
    }

    /** A standard-conforming string literal: {@code it's} becomes {@code 'it''s'}. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Caps SQL for messages: long statements are cut with an ellipsis. */
    public static String cap(String sql, int max) {
        String oneLine = sql.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }
}
