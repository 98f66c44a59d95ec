package io.pgcopydb.filter;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One part of a filter entry in pgcopydb's name syntax: an exact name ({@code orders}, {@code "My Table"}) or a
 * pattern ({@code ~/^tmp_/}). Immutable.
 *
 * <p>Exact names compare case-sensitively with the catalog spelling and are <em>not</em> folded to lower case:
 * pgcopydb compares them as written, so {@code public.Orders} names the table {@code "Orders"}. Double quotes
 * around a part are removed and {@code ""} inside them stands for one {@code "} (PostgreSQL's quoting rule;
 * pgcopydb keeps {@code ""} verbatim, which can only name a table whose name contains two quotes).
 *
 * <p>A pattern is {@code ~} followed by a delimited regular expression; the delimiters are pgcopydb's:
 * {@code /…/ […] {…} (…) <…> "…" '…' |…| #…# $…$}. There is no escape for the closing delimiter: pick a
 * delimiter that the expression does not contain. Consecutive segments are concatenated, written either
 * {@code ~/a/~[b]} or {@code ~/a/[b]}. pgcopydb hands patterns to the server ({@code name ~ pattern}, POSIX /
 * PostgreSQL "advanced" regular expressions); here they are compiled with {@link java.util.regex} and matched
 * the same way, <b>unanchored</b> ({@link java.util.regex.Matcher#find()}): {@code ~/staging_/} matches any name
 * containing {@code staging_}. POSIX bracket classes ({@code [[:digit:]]}) are translated; PostgreSQL-only
 * escapes ({@code \m \M \y \Y}, {@code [[:<:]]}) are rejected with a hint rather than silently meaning
 * something else; Java-only syntax (possessive quantifiers, {@code \Q…\E}) is accepted although pgcopydb
 * would reject it.
 */
final class NamePattern {
    /** PostgreSQL's NAMEDATALEN - 1: a longer exact name can never match. */
    static final int MAX_NAME_BYTES = 63;

    private static final Map<Character, Character> DELIMITERS = Map.of('/', '/', '[', ']', '{', '}', '(', ')',
            '<', '>', '"', '"', '\'', '\'', '|', '|', '#', '#', '$', '$');

    private final String exact;
    private final Pattern regex;

    private NamePattern(String exact, Pattern regex) {
        this.exact = exact;
        this.regex = regex;
    }

    /** Where a parsed part ends inside its entry. */
    record Parsed(NamePattern pattern, int end) {
    }

    /**
     * Parses one part of {@code entry} starting at {@code from}. A bare (unquoted, non-pattern) part runs to the
     * first dot when {@code stopAtDot}, else to the end of the entry.
     *
     * @throws IllegalArgumentException with a message fragment (no entry prefix) when the part is malformed
     */
    static Parsed parse(String entry, int from, boolean stopAtDot) {
        if (from >= entry.length()) {
            throw new IllegalArgumentException("a name part is empty");
        }
        char c = entry.charAt(from);
        if (c == '~') {
            return parsePattern(entry, from);
        }
        if (c == '"') {
            return parseQuoted(entry, from);
        }
        int end = from;
        while (end < entry.length() && !(stopAtDot && entry.charAt(end) == '.')) {
            end++;
        }
        String name = entry.substring(from, end);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a name part is empty");
        }
        if (name.indexOf('"') >= 0) {
            throw new IllegalArgumentException("double quotes must surround a whole name part, e.g. \"My Table\"");
        }
        if (name.indexOf('~') >= 0) {
            throw new IllegalArgumentException("'~' may only start a pattern part, e.g. ~/^tmp_/");
        }
        if (!name.equals(name.strip())) {
            throw new IllegalArgumentException("name part \"" + name
                    + "\" starts or ends with spaces; quote it if the spaces belong to the name");
        }
        return new Parsed(exact(name), end);
    }

    private static Parsed parseQuoted(String entry, int from) {
        StringBuilder name = new StringBuilder();
        int i = from + 1;
        while (true) {
            int quote = entry.indexOf('"', i);
            if (quote < 0) {
                throw new IllegalArgumentException("a quoted name has no closing double quote");
            }
            name.append(entry, i, quote);
            if (quote + 1 < entry.length() && entry.charAt(quote + 1) == '"') {
                name.append('"');
                i = quote + 2;
                continue;
            }
            if (name.length() == 0) {
                throw new IllegalArgumentException("a quoted name is empty");
            }
            return new Parsed(exact(name.toString()), quote + 1);
        }
    }

    private static Parsed parsePattern(String entry, int from) {
        StringBuilder source = new StringBuilder();
        int i = from;
        while (i < entry.length()) {
            char c = entry.charAt(i);
            boolean tilde = c == '~';
            // After the first segment a segment may follow with or without its own '~'.
            if (!tilde && (i == from || !DELIMITERS.containsKey(c))) {
                break;
            }
            int open = tilde ? i + 1 : i;
            if (open >= entry.length() || !DELIMITERS.containsKey(entry.charAt(open))) {
                throw new IllegalArgumentException("'~' must be followed by a delimited pattern, one of "
                        + "~/…/ ~[…] ~{…} ~(…) ~<…> ~\"…\" ~'…' ~|…| ~#…# ~$…$");
            }
            char close = DELIMITERS.get(entry.charAt(open));
            int end = entry.indexOf(close, open + 1);
            if (end < 0) {
                throw new IllegalArgumentException("pattern " + entry.substring(i) + " has no closing '" + close
                        + "' (there is no escape: choose a delimiter the expression does not contain)");
            }
            source.append(entry, open + 1, end);
            i = end + 1;
        }
        if (source.length() == 0) {
            throw new IllegalArgumentException("a pattern is empty");
        }
        return new Parsed(new NamePattern(null, compile(source.toString())), i);
    }

    static NamePattern exact(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("name \"" + name + "\" is " + bytes
                    + " bytes long; PostgreSQL names are at most " + MAX_NAME_BYTES + " bytes");
        }
        return new NamePattern(name, null);
    }

    private static Pattern compile(String source) {
        String java = PosixRegex.toJava(source);
        try {
            return Pattern.compile(java);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression \"" + source + "\": "
                    + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""), e);
        }
    }

    boolean isPattern() {
        return regex != null;
    }

    /** Exact comparison, or an unanchored regular-expression search. */
    boolean matches(String name) {
        return regex == null ? exact.equals(name) : regex.matcher(name).find();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamePattern p && Objects.equals(exact, p.exact)
                && Objects.equals(regex == null ? null : regex.pattern(), p.regex == null ? null : p.regex.pattern());
    }

    @Override
    public int hashCode() {
        return Objects.hash(exact, regex == null ? null : regex.pattern());
    }

    @Override
    public String toString() {
        return regex == null ? exact : "~/" + regex.pattern() + "/";
    }
}
