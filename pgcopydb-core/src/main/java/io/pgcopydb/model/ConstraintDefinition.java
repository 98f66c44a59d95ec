package io.pgcopydb.model;

/**
 * A table constraint backed by an index: PRIMARY KEY, UNIQUE or EXCLUDE.
 *
 * @param oid the constraint's OID on the source
 * @param table the constrained table
 * @param name the constraint name
 * @param kind what kind of constraint it is
 * @param deferrable {@code DEFERRABLE}
 * @param initiallyDeferred {@code INITIALLY DEFERRED}
 * @param definition {@code pg_get_constraintdef()}, e.g. {@code PRIMARY KEY (id)}
 */
public record ConstraintDefinition(long oid, QualifiedName table, String name, Kind kind, boolean deferrable,
        boolean initiallyDeferred, String definition) {

    /** The kinds of index-backed constraints. */
    public enum Kind {
        /** {@code PRIMARY KEY}: attached with {@code ADD CONSTRAINT … PRIMARY KEY USING INDEX}. */
        PRIMARY_KEY,
        /** {@code UNIQUE}: attached with {@code ADD CONSTRAINT … UNIQUE USING INDEX}. */
        UNIQUE,
        /** {@code EXCLUDE}: added with its definition; PostgreSQL builds the index. */
        EXCLUDE
    }

    /** Whether the constraint is attached to an index built beforehand ({@code USING INDEX}). */
    public boolean usesPrebuiltIndex() {
        return kind != Kind.EXCLUDE;
    }
}
