package io.pgcopydb.cli;

import java.util.Locale;

/**
 * JSON string literals for what the command line writes itself (log lines, the benchmark's report). The library's
 * reports have their own writer; the command line uses only the library's public packages.
 */
final class JsonStrings {
    private JsonStrings() {
    }

    /** {@code s} as a JSON string literal, quotes included. */
    static String quote(String s) {
        return append(new StringBuilder(s.length() + 2), s).toString();
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
}
