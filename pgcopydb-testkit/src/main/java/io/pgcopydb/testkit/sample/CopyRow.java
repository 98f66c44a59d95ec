package io.pgcopydb.testkit.sample;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * Builds rows in PostgreSQL's COPY text format: fields separated by tabs, {@code \N} for NULL, and backslash,
 * tab, newline and carriage return escaped with a backslash.
 *
 * <p>Formatting is done by hand rather than with {@code String.format} or {@code DateTimeFormatter} so the
 * output never depends on the JVM's default locale or time zone. Not thread-safe: one instance per writer.
 */
final class CopyRow {
    static final String NULL = "\\N";

    private final StringBuilder line = new StringBuilder(512);
    private boolean empty = true;

    CopyRow text(String value) {
        separator();
        if (value == null) {
            line.append(NULL);
        } else {
            escapeInto(line, value);
        }
        return this;
    }

    CopyRow number(long value) {
        separator();
        line.append(value);
        return this;
    }

    /** A {@code numeric(_, 2)} value given in hundredths, e.g. 1999 becomes {@code 19.99}. */
    CopyRow cents(long cents) {
        separator();
        if (cents < 0) {
            line.append('-');
            cents = -cents;
        }
        line.append(cents / 100).append('.');
        appendPadded(line, cents % 100, 2);
        return this;
    }

    CopyRow bool(boolean value) {
        separator();
        line.append(value ? 't' : 'f');
        return this;
    }

    /** A {@code timestamptz} with an explicit UTC offset, so the server's TimeZone setting does not matter. */
    CopyRow timestamp(long epochMicros) {
        separator();
        appendTimestamp(line, epochMicros);
        return this;
    }

    CopyRow nullValue() {
        separator();
        line.append(NULL);
        return this;
    }

    /** Ends the row, writes it and starts an empty one. */
    void writeTo(Writer out) throws IOException {
        line.append('\n');
        out.append(line);
        line.setLength(0);
        empty = true;
    }

    private void separator() {
        if (!empty) {
            line.append('\t');
        }
        empty = false;
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        escapeInto(out, value);
        return out.toString();
    }

    static void escapeInto(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    /**
     * A PostgreSQL array literal such as {@code {new,"gift idea"}}. Elements are double-quoted when the array
     * parser would otherwise split, trim or misread them (including the bare word NULL).
     */
    static String arrayLiteral(List<String> elements) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendArrayElement(out, elements.get(i));
        }
        return out.append('}').toString();
    }

    private static void appendArrayElement(StringBuilder out, String element) {
        if (!needsArrayQuotes(element)) {
            out.append(element);
            return;
        }
        out.append('"');
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    private static boolean needsArrayQuotes(String element) {
        if (element.isEmpty() || element.toUpperCase(Locale.ROOT).equals("NULL")) {
            return true;
        }
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if ("{},\"\\".indexOf(c) >= 0 || Character.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }

    /** {@code 2025-03-04 05:06:07.000008+00}. */
    static String timestampText(long epochMicros) {
        StringBuilder out = new StringBuilder(32);
        appendTimestamp(out, epochMicros);
        return out.toString();
    }

    private static void appendTimestamp(StringBuilder out, long epochMicros) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L);
        long micros = Math.floorMod(epochMicros, 1_000_000L);
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        appendPadded(out, t.getYear(), 4);
        out.append('-');
        appendPadded(out, t.getMonthValue(), 2);
        out.append('-');
        appendPadded(out, t.getDayOfMonth(), 2);
        out.append(' ');
        appendPadded(out, t.getHour(), 2);
        out.append(':');
        appendPadded(out, t.getMinute(), 2);
        out.append(':');
        appendPadded(out, t.getSecond(), 2);
        out.append('.');
        appendPadded(out, micros, 6);
        out.append("+00");
    }

    static void appendPadded(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        out.append(digits);
    }
}
