package io.pgcopydb.filter;

import java.util.Objects;

/**
 * A {@code schema.name} filter entry: two {@link NamePattern} parts split at the first dot that is outside double
 * quotes and outside a pattern, as pgcopydb does. The name part runs to the end of the entry, so an unquoted
 * name may contain dots ({@code public.a.b} is table {@code "a.b"} in schema {@code public}); a schema name with
 * a dot must be quoted. Immutable.
 */
final class QualifiedPattern {
    private final NamePattern schema;
    private final NamePattern name;

    private QualifiedPattern(NamePattern schema, NamePattern name) {
        this.schema = schema;
        this.name = name;
    }

    /**
     * Parses {@code entry}.
     *
     * @throws IllegalArgumentException with a message fragment (no entry prefix) when it is malformed
     */
    static QualifiedPattern parse(String entry) {
        if (entry.startsWith(".")) {
            throw new IllegalArgumentException("it starts with a dot; write schema.name, e.g. public.orders");
        }
        NamePattern.Parsed schema = NamePattern.parse(entry, 0, true);
        int dot = schema.end();
        if (dot >= entry.length()) {
            throw new IllegalArgumentException("it has no schema; write schema.name, e.g. public.orders");
        }
        if (entry.charAt(dot) != '.') {
            throw new IllegalArgumentException("expected a dot after the schema part \"" + entry.substring(0, dot)
                    + "\", found \"" + entry.substring(dot) + "\"");
        }
        if (dot + 1 == entry.length()) {
            throw new IllegalArgumentException("the name after the dot is empty; write schema.name");
        }
        NamePattern.Parsed name = NamePattern.parse(entry, dot + 1, false);
        if (name.end() != entry.length()) {
            throw new IllegalArgumentException("unexpected \"" + entry.substring(name.end())
                    + "\" after the name; a quoted or pattern name part must end the entry");
        }
        return new QualifiedPattern(schema.pattern(), name.pattern());
    }

    boolean isPattern() {
        return schema.isPattern() || name.isPattern();
    }

    boolean matches(String schemaName, String relationName) {
        return schema.matches(schemaName) && name.matches(relationName);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QualifiedPattern q && schema.equals(q.schema) && name.equals(q.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
