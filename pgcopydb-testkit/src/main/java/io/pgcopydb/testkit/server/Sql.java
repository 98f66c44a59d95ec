package io.pgcopydb.testkit.server;

/** SQL quoting for identifiers and literals built by the testkit. */
public final class Sql {
    private Sql() {
    }

    /** Double-quotes an identifier, doubling embedded quotes: {@code a"b} becomes {@code "a""b"}. */
    public static String quoteIdent(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Single-quotes a literal, doubling embedded quotes. */
    public static String quoteLiteral(String literal) {
        return '\'' + literal.replace("'", "''") + '\'';
    }
}
