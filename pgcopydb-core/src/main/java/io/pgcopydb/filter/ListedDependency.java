package io.pgcopydb.filter;

import java.util.Objects;

/**
 * An object a copy leaves out because it depends, directly or through others, on an object the filter skips: an
 * index, view, trigger, foreign key or default of a skipped table, say ({@code pgcopydb list depends}).
 *
 * @param classOid the catalog the object is in ({@code pg_class}, {@code pg_constraint}, …), as an OID
 * @param oid the object's OID
 * @param type its type as {@code pg_identify_object} says ({@code index}, {@code view}, {@code table constraint})
 * @param identity its identity ({@code public.rental_pkey on public.rental})
 * @param dependsOn the identity of the object it was reached from: a skipped object, or another dependent
 */
public record ListedDependency(long classOid, long oid, String type, String identity, String dependsOn) {
    /** Checks for nulls. */
    public ListedDependency {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(dependsOn, "dependsOn");
    }
}
