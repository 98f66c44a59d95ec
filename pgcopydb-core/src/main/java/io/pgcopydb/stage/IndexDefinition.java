package io.pgcopydb.stage;

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
 */
public record IndexDefinition(long oid, QualifiedName name, QualifiedName table, long tableOid, String definition,
        Optional<ConstraintDefinition> constraint) {

    /**
     * Whether the engine builds this index itself. An index backing an EXCLUDE constraint is not: adding the
     * constraint builds it.
     */
    public boolean builtSeparately() {
        return constraint.map(ConstraintDefinition::usesPrebuiltIndex).orElse(true);
    }
}
