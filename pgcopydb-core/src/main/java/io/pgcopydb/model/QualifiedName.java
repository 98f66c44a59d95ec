package io.pgcopydb.model;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * A schema-qualified object name, as stored in the catalog (unquoted).
 *
 * @param schema the schema name
 * @param name the object name
 */
public record QualifiedName(String schema, String name) implements Comparable<QualifiedName> {

    /** Validates that both parts are present. */
    public QualifiedName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        checkArgument(!schema.isEmpty() && !name.isEmpty(), "schema and name must not be empty");
    }

    /** Quotes one identifier for SQL, doubling embedded double quotes. */
    public static String quoteIdent(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The name quoted for SQL: {@code "schema"."name"}. */
    public String quoted() {
        return quoteIdent(schema) + "." + quoteIdent(name);
    }

    /** {@code schema.name}, unquoted, for logs and reports. */
    @Override
    public String toString() {
        return schema + "." + name;
    }

    @Override
    public int compareTo(QualifiedName o) {
        int c = schema.compareTo(o.schema);
        return c != 0 ? c : name.compareTo(o.name);
    }
}
