package io.pgcopydb.internal.compare;

import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names as the server's {@code format('%I.%I')} writes them — quoted only when they must be — so the data
 * comparison names an object exactly as the schema comparison does ({@code table public."order"}). The words
 * that need quoting are the server's own non-unreserved keywords.
 */
final class SqlNames {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    private final Set<String> keywords;

    SqlNames(Set<String> keywords) {
        this.keywords = Set.copyOf(keywords);
    }

    /** The names of the server behind {@code c}. */
    static SqlNames read(Connection c) throws SQLException {
        Set<String> words = new HashSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT word FROM pg_catalog.pg_get_keywords() WHERE catcode <> 'U'")) {
            while (rs.next()) {
                words.add(rs.getString(1));
            }
        }
        return new SqlNames(words);
    }

    /** {@code identifier} as {@code quote_ident} writes it. */
    String ident(String identifier) {
        return PLAIN.matcher(identifier).matches() && !keywords.contains(identifier) ? identifier
                : QualifiedName.quoteIdent(identifier);
    }

    /** {@code name} as {@code format('%I.%I', schema, name)} writes it. */
    String of(QualifiedName name) {
        return ident(name.schema()) + "." + ident(name.name());
    }
}
