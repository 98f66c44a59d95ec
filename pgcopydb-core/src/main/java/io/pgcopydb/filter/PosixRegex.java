package io.pgcopydb.filter;

import java.util.Map;

/**
 * Rewrites the parts of a PostgreSQL regular expression that {@link java.util.regex} would silently read
 * differently. Inside a bracket expression POSIX treats {@code [} and {@code &&} literally and {@code ]} right
 * after the opening bracket as a member, and spells classes {@code [:digit:]}; Java nests classes, intersects on
 * {@code &&} and knows {@code \p{Digit}}. Everything else passes through; Java reports what it cannot compile.
 */
final class PosixRegex {
    private static final Map<String, String> CLASSES = Map.ofEntries(Map.entry("alpha", "\\p{Alpha}"),
            Map.entry("digit", "\\p{Digit}"), Map.entry("alnum", "\\p{Alnum}"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("lower", "\\p{Lower}"), Map.entry("space", "\\s"), Map.entry("punct", "\\p{Punct}"),
            Map.entry("print", "\\p{Print}"), Map.entry("graph", "\\p{Graph}"), Map.entry("cntrl", "\\p{Cntrl}"),
            Map.entry("xdigit", "\\p{XDigit}"), Map.entry("blank", "\\p{Blank}"), Map.entry("word", "\\w"));

    private PosixRegex() {
    }

    /**
     * The Java spelling of {@code source}.
     *
     * @throws IllegalArgumentException for PostgreSQL-only constructs, naming the Java equivalent
     */
    static String toJava(String source) {
        StringBuilder out = new StringBuilder(source.length() + 8);
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\\' && i + 1 < source.length()) {
                char next = source.charAt(i + 1);
                if ("mMyY".indexOf(next) >= 0) {
                    throw unsupported("\\" + next);
                }
                out.append(c).append(next);
                i += 2;
            } else if (c == '[') {
                i = bracket(source, i, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Copies the bracket expression starting at {@code start}; returns the index after it. */
    private static int bracket(String s, int start, StringBuilder out) {
        out.append('[');
        int i = start + 1;
        if (i < s.length() && s.charAt(i) == '^') {
            out.append('^');
            i++;
        }
        if (i < s.length() && s.charAt(i) == ']') {
            out.append("\\]");
            i++;
        }
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ']') {
                out.append(']');
                return i + 1;
            }
            if (c == '[' && i + 1 < s.length() && ":.=".indexOf(s.charAt(i + 1)) >= 0) {
                char kind = s.charAt(i + 1);
                int end = s.indexOf(kind + "]", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated [" + kind + " in a bracket expression");
                }
                String name = s.substring(i + 2, end);
                if (kind != ':') {
                    throw new IllegalArgumentException("collating elements [" + kind + name + kind
                            + "] are not supported; list the characters instead");
                }
                if (name.equals("<") || name.equals(">")) {
                    throw unsupported("[[:" + name + ":]]");
                }
                String java = CLASSES.get(name);
                if (java == null) {
                    throw new IllegalArgumentException("unknown character class [:" + name + ":]; known: "
                            + String.join(", ", new java.util.TreeSet<>(CLASSES.keySet())));
                }
                out.append(java);
                i = end + 2;
            } else if (c == '\\' && i + 1 < s.length()) {
                out.append(c).append(s.charAt(i + 1));
                i += 2;
            } else {
                // Literal in POSIX, operators in Java.
                if (c == '[' || c == '&') {
                    out.append('\\');
                }
                out.append(c);
                i++;
            }
        }
        return i;
    }

    private static IllegalArgumentException unsupported(String construct) {
        return new IllegalArgumentException("PostgreSQL's word-boundary " + construct
                + " is not supported here; use \\b");
    }
}
