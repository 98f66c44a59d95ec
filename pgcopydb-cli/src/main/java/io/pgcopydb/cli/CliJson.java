package io.pgcopydb.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The JSON the command line writes itself — what the commands print with {@code --json}, the JSON log lines, the
 * benchmark's report: one object on one line, written by hand (the tool adds no JSON library). {@link Obj} collects fields in order; values are already JSON text ({@link #str}, numbers, nested
 * objects).
 */
final class CliJson {
    private CliJson() {
    }

    /** {@code s} as a JSON string; {@code null} as {@code null}. */
    static String str(String s) {
        return s == null ? "null" : append(new StringBuilder(s.length() + 2), s).toString();
    }

    /** Appends {@code s} as a JSON string literal to {@code sb}; returns {@code sb}. */
    static StringBuilder append(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    /** A JSON array of {@code items}, each rendered by {@code item}. */
    static <T> String array(List<T> items, Function<T, String> item) {
        return "[" + String.join(",", items.stream().map(item).toList()) + "]";
    }

    /** A JSON array of strings. */
    static String strings(List<String> items) {
        return array(items, CliJson::str);
    }

    /** A new object. */
    static Obj obj() {
        return new Obj();
    }

    /** A JSON object being built, its fields in the order they are added. */
    static final class Obj {
        private final List<String> fields = new ArrayList<>();

        /** Adds a field whose value is JSON text already. */
        Obj raw(String name, String json) {
            fields.add(CliJson.str(name) + ":" + json);
            return this;
        }

        /** Adds a string field ({@code null} allowed). */
        Obj str(String name, String value) {
            return raw(name, CliJson.str(value));
        }

        /** Adds a number field. */
        Obj num(String name, long value) {
            return raw(name, Long.toString(value));
        }

        /** Adds a boolean field. */
        Obj bool(String name, boolean value) {
            return raw(name, Boolean.toString(value));
        }

        @Override
        public String toString() {
            return "{" + String.join(",", fields) + "}";
        }
    }
}
