package io.pgcopydb.model;

import java.util.Map;
import java.util.Optional;

/**
 * An index of a copied table, as read from the source catalog.
 *
 * @param oid the index's OID on the source
 * @param name the index's qualified name
 * @param table the indexed table
 * @param tableOid the indexed table's OID on the source
 * @param definition {@code pg_get_indexdef()}, schema-qualified, e.g.
 *     {@code CREATE UNIQUE INDEX film_pkey ON public.film USING btree (film_id)}
 * @param constraint the constraint this index backs, if any
 * @param clustered whether the table is marked {@code CLUSTER ON} this index
 * @param replicaIdentity whether the table's {@code REPLICA IDENTITY} is this index
 * @param columnStatistics per-column statistics targets set on the index ({@code ALTER INDEX … ALTER COLUMN n
 *     SET STATISTICS v}), by 1-based column number
 */
public record IndexDefinition(long oid, QualifiedName name, QualifiedName table, long tableOid, String definition,
        Optional<ConstraintDefinition> constraint, boolean clustered, boolean replicaIdentity,
        Map<Integer, Integer> columnStatistics) {

    /** Copies the statistics map. */
    public IndexDefinition {
        columnStatistics = Map.copyOf(columnStatistics);
    }

    /** An index with no CLUSTER mark, replica identity or statistics targets. */
    public IndexDefinition(long oid, QualifiedName name, QualifiedName table, long tableOid, String definition,
            Optional<ConstraintDefinition> constraint) {
        this(oid, name, table, tableOid, definition, constraint, false, false, Map.of());
    }

    /**
     * Whether the engine builds this index itself. An index backing an EXCLUDE constraint is not: adding the
     * constraint builds it.
     */
    public boolean builtSeparately() {
        return constraint.map(ConstraintDefinition::usesPrebuiltIndex).orElse(true);
    }
}
