package io.pgcopydb.internal.catalog;

/** SQL predicates the catalog queries share, so "what is a user object" is decided in one place. */
public final class CatalogSql {
    /** Schema {@code n} is not a system schema (catalog, information schema, TOAST, temporary). */
    static final String NOT_SYSTEM_SCHEMA = """
            n.nspname NOT IN ('pg_catalog', 'information_schema')
            AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp'
            """;

    /**
     * Relation {@code c} in schema {@code n} is a user relation: not in a system schema, not a member of an
     * extension (those come with CREATE EXTENSION).
     */
    public static final String USER_RELATION = NOT_SYSTEM_SCHEMA + """
            AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                            WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                              AND d.objid = c.oid AND d.deptype = 'e')
            """;

    private CatalogSql() {
    }
}
