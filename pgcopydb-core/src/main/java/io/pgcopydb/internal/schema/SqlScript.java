package io.pgcopydb.internal.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the SQL pg_restore writes in script mode, so that parts of it can be run over JDBC or rewritten: statements
 * split at the semicolons that end them, parentheses matched, identifiers read — each outside string literals
 * ({@code '…'}, {@code E'…'}), quoted identifiers, dollar quotes and comments. psql's meta-commands
 * (restrict and unrestrict, which pg_restore writes since the 2025 minor releases) are not SQL
 * and are left out.
 */
final class SqlScript {
    private SqlScript() {
    }

    /** The statements of {@code script}, each without its semicolon, leading comments and blank lines kept. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        int start = 0;
        int i = 0;
        boolean empty = true;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (empty && c == '\\' && atLineStart(script, i)) {
                // A meta-command runs to the end of its line.
                int eol = script.indexOf('\n', i);
                i = eol < 0 ? script.length() : eol + 1;
                start = i;
                continue;
            }
            if (c == ';') {
                statements.add(script.substring(start, i));
                start = ++i;
                empty = true;
                continue;
            }
            int next = skip(script, i);
            if (next == i) {
                if (!Character.isWhitespace(c)) {
                    empty = false;
                }
                next = i + 1;
            } else if (!(c == '-' || c == '/')) {
                empty = false; // a literal or quoted name; comments leave a statement empty
            }
            i = next;
        }
        if (!empty) {
            statements.add(script.substring(start));
        }
        return statements.stream().filter(s -> !withoutComments(s).isBlank()).toList();
    }

    /** {@code sql} without its comments, for matching what a statement starts with. */
    static String withoutComments(String sql) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            int next = skip(sql, i);
            char c = sql.charAt(i);
            if (next > i && (c == '-' || c == '/')) {
                sb.append(' ');
            } else {
                sb.append(sql, i, Math.max(next, i + 1));
            }
            i = Math.max(next, i + 1);
        }
        return sb.toString().strip();
    }

    /** The index of the parenthesis that closes the one at {@code open}, or -1. */
    static int closingParenthesis(String sql, int open) {
        // Inside the parenthesis, the first ')' at depth 0 closes it.
        return indexAtTopLevel(sql, ')', open + 1);
    }

    /** The index of the first {@code target} character at parenthesis depth 0 from {@code from} on, or -1. */
    static int indexAtTopLevel(String sql, char target, int from) {
        int depth = 0;
        int i = from;
        while (i < sql.length()) {
            int next = skip(sql, i);
            if (next > i) {
                i = next;
                continue;
            }
            char c = sql.charAt(i);
            if (c == target && depth == 0) {
                return i;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            i++;
        }
        return -1;
    }

    /** {@code list} split at its top-level commas, each part stripped. */
    static List<String> splitTopLevel(String list) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        int comma;
        while ((comma = indexAtTopLevel(list, ',', start)) >= 0) {
            parts.add(list.substring(start, comma).strip());
            start = comma + 1;
        }
        String last = list.substring(start).strip();
        if (!last.isEmpty() || !parts.isEmpty()) {
            parts.add(last);
        }
        return parts;
    }

    /**
     * The identifier {@code text} starts with (after blanks): a quoted one unquoted, or a bare word as written
     * (pg_dump writes bare words only for names that need no quoting, so already in lower case).
     */
    static String leadingIdentifier(String text) {
        String s = text.stripLeading();
        if (s.startsWith("\"")) {
            StringBuilder name = new StringBuilder();
            for (int i = 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        name.append('"');
                        i++;
                    } else {
                        return name.toString();
                    }
                } else {
                    name.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated quoted identifier: " + text);
        }
        int end = 0;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end)) && s.charAt(end) != '(') {
            end++;
        }
        return s.substring(0, end);
    }

    /**
     * Where the literal, quoted identifier, dollar-quoted string or comment starting at {@code i} ends (the index
     * after it); {@code i} itself when none starts there.
     */
    private static int skip(String s, int i) {
        char c = s.charAt(i);
        if (c == '\'') {
            boolean backslashes = i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e')
                    && (i < 2 || !Character.isLetterOrDigit(s.charAt(i - 2)) && s.charAt(i - 2) != '_');
            return endOfQuoted(s, i, '\'', backslashes);
        }
        if (c == '"') {
            return endOfQuoted(s, i, '"', false);
        }
        if (c == '-' && s.startsWith("--", i)) {
            int eol = s.indexOf('\n', i);
            return eol < 0 ? s.length() : eol + 1;
        }
        if (c == '/' && s.startsWith("/*", i)) {
            int depth = 0;
            int j = i;
            while (j < s.length()) {
                if (s.startsWith("/*", j)) {
                    depth++;
                    j += 2;
                } else if (s.startsWith("*/", j)) {
                    j += 2;
                    if (--depth == 0) {
                        return j;
                    }
                } else {
                    j++;
                }
            }
            return s.length();
        }
        if (c == '$') {
            int j = i + 1;
            while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                j++;
            }
            boolean tagStartsWell = j == i + 1 || !Character.isDigit(s.charAt(i + 1));
            boolean partOfWord = i > 0 && (Character.isLetterOrDigit(s.charAt(i - 1)) || s.charAt(i - 1) == '_');
            if (j < s.length() && s.charAt(j) == '$' && tagStartsWell && !partOfWord) {
                String tag = s.substring(i, j + 1);
                int end = s.indexOf(tag, j + 1);
                return end < 0 ? s.length() : end + tag.length();
            }
        }
        return i;
    }

    private static int endOfQuoted(String s, int open, char quote, boolean backslashes) {
        int j = open + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (backslashes && c == '\\') {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < s.length() && s.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return s.length();
    }

    private static boolean atLineStart(String s, int i) {
        return i == 0 || s.charAt(i - 1) == '\n';
    }
}
