package io.pgcopydb.filter;

import io.pgcopydb.model.QualifiedName;
import java.util.Objects;
import java.util.Optional;

/**
 * One object of the source as a filter sees it: what {@code pgcopydb list tables|indexes|sequences} prints.
 *
 * @param kind what the object is
 * @param oid its OID on the source
 * @param name its qualified name
 * @param table for an index, the table or materialized view it is built on; else empty
 * @param decision what a copy with the same filter does with it
 * @param bytes on-disk size ({@code pg_table_size} for tables, {@code pg_relation_size} for indexes); 0 for
 *     sequences and for relations without storage
 */
public record ListedObject(Kind kind, long oid, QualifiedName name, Optional<QualifiedName> table,
        Decision decision, long bytes) {

    /** Checks for nulls. */
    public ListedObject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(decision, "decision");
    }

    /** What the object is, as {@code pg_class.relkind} says. */
    public enum Kind {
        TABLE, PARTITIONED_TABLE, MATERIALIZED_VIEW, FOREIGN_TABLE, INDEX, SEQUENCE
    }

    /** What a copy does with the object. */
    public enum Decision {
        /**
         * Created and filled: a table's rows copied, a materialized view refreshed, an index built, a sequence's
         * value set.
         */
        COPY,
        /** Created without its rows ({@code excludeTableData}); a materialized view is left unpopulated. */
        SCHEMA_ONLY,
        /** Not created, nor anything depending on it. */
        SKIP;

        /** Whether the object exists on the target after the copy. */
        public boolean selected() {
            return this != SKIP;
        }
    }
}
