package io.pgcopydb;

import io.pgcopydb.model.QualifiedName;
import java.time.Duration;
import java.util.Optional;

/**
 * What happened to one index or constraint.
 *
 * @param kind {@code INDEX} or {@code CONSTRAINT}
 * @param oid the object's OID on the source
 * @param name the object's name (for a constraint: the table's schema and the constraint's name)
 * @param table its table
 * @param outcome its outcome
 * @param sql the statement executed, when it ran
 * @param duration how long it took
 */
public record ObjectReport(Kind kind, long oid, QualifiedName name, QualifiedName table, Outcome outcome,
        Optional<String> sql, Duration duration) {

    /** Kinds of objects reported one by one. */
    public enum Kind {
        /** An index built by the index jobs. */
        INDEX,
        /** A constraint attached by the engine. */
        CONSTRAINT
    }
}
