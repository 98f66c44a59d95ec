package io.pgcopydb.connection;

/**
 * Parses libpq {@code keyword=value} connection strings the way libpq's {@code conninfo_parse} does: whitespace
 * around {@code =} is allowed; a value is either a run of non-whitespace characters or single-quoted; in both, a
 * backslash makes the next character literal (so {@code 'it\'s'} and {@code a\ b} both work).
 */
final class ConninfoParser {
    private ConninfoParser() {
    }

    static void parse(String s, ConnectionDraft draft) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (isSpace(s.charAt(i))) {
                i++;
                continue;
            }
            int keyStart = i;
            while (i < n && s.charAt(i) != '=' && !isSpace(s.charAt(i))) {
                i++;
            }
            String key = s.substring(keyStart, i);
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            if (i >= n || s.charAt(i) != '=') {
                // The "key" may be the tail of an unquoted password that contained a space: do not repeat it.
                throw ConnectionDraft.malformed("missing \"=\" after the word at position " + (keyStart + 1)
                        + " (quote values that contain spaces: key='a b')");
            }
            i++;
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '\'') {
                int quoteStart = i;
                i++;
                while (true) {
                    if (i >= n) {
                        throw ConnectionDraft.malformed("unterminated quoted value starting at position "
                                + (quoteStart + 1) + " (escape quotes inside values as \\')");
                    }
                    char c = s.charAt(i);
                    if (c == '\\') {
                        i++;
                        if (i < n) {
                            value.append(s.charAt(i++));
                        }
                    } else if (c == '\'') {
                        i++;
                        break;
                    } else {
                        value.append(c);
                        i++;
                    }
                }
            } else {
                while (i < n && !isSpace(s.charAt(i))) {
                    char c = s.charAt(i++);
                    if (c == '\\') {
                        if (i < n) {
                            value.append(s.charAt(i++));
                        }
                    } else {
                        value.append(c);
                    }
                }
            }
            if (key.isEmpty()) {
                throw ConnectionDraft.malformed("missing keyword before the \"=\" at position " + (keyStart + 1));
            }
            draft.set(key, value.toString(), ConnectionDraft.Source.CONNINFO);
        }
    }

    /** C's isspace() in the C locale, which is what libpq uses. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }
}
