package io.pgcopydb.filter;

import io.pgcopydb.model.QualifiedName;
import java.util.Objects;

/**
 * A collation the source database uses (the database's own, or a column's or an index's), other than
 * {@code default}: what the target must know for the schema to restore ({@code pgcopydb list collations}).
 *
 * @param oid its OID
 * @param name its qualified name ({@code pg_catalog."en-x-icu"})
 * @param provider {@code libc}, {@code icu}, {@code builtin} or {@code default}
 * @param locale its locale ({@code collcollate}, or the ICU locale); empty when the server does not say
 * @param description how PostgreSQL describes it ({@code pg_describe_object})
 */
public record ListedCollation(long oid, QualifiedName name, String provider, String locale, String description) {
    /** Checks for nulls. */
    public ListedCollation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(description, "description");
    }
}
