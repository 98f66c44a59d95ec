package io.pgcopydb.internal.compare;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * SQL fragments the schema queries share. Every query runs with {@code search_path = pg_catalog}, so catalog
 * names need no qualification and every {@code pg_get_*def()}, {@code format_type()} or {@code regclass} output
 * names user objects with their schema.
 *
 * <p>Every query returns the same first three columns: {@code object} (its name, e.g. {@code table public.film}),
 * {@code parent} (the object it is part of, a {@code text[]} of them, or {@code NULL}) and {@code scope} (a
 * {@code text[]} read by {@link CatalogSnapshotReader}: {@code relation, schema, name} / {@code schema, s} /
 * {@code created, s} / {@code extension, e} — the object is kept only if the {@link CompareScope} includes that;
 * {@code needs, aspect, schema, name} — the aspect is kept only if the relation is; {@code rows, aspect, schema,
 * name} — only if its rows are copied). Every further column is an aspect, named by its label, its value read as
 * text ({@code NULL} reads as the empty string, booleans as {@code true} / {@code false}); an aspect a server's
 * version lacks is left out of the query, and the comparison skips it.
 */
final class SchemaSql {
    /** Schema {@code n} is not a system schema (catalog, information schema, TOAST, temporary). */
    static final String USER_SCHEMA = """
            n.nspname NOT IN ('pg_catalog', 'information_schema')
            AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp'""";

    /** The word naming relation {@code c} by its kind, as the objects' names start with it. */
    static final String RELATION_WORD = """
            CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                           WHEN 'f' THEN 'foreign table' ELSE 'table' END""";

    /** The name of relation {@code c} in schema {@code n} as an object: {@code table public.film}. */
    static final String RELATION_OBJECT = "format('%s %I.%I', " + RELATION_WORD + ", n.nspname, c.relname)";

    private SchemaSql() {
    }

    /** The object {@code oid} of catalog {@code catalog} (e.g. {@code pg_proc}) is not a member of an extension. */
    static String notMember(String catalog, String oid) {
        return "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" + catalog + "'::regclass AND e.objid = "
                + oid + " AND e.deptype = 'e')";
    }

    /**
     * The object {@code oid} of catalog {@code catalog} is not internal to another: not made by the server along
     * with it (a range type's constructor functions and multirange cast), which the other's creation makes again.
     */
    static String notInternal(String catalog, String oid) {
        return "NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = '" + catalog + "'::regclass AND i.objid = "
                + oid + " AND i.deptype = 'i')";
    }

    /** A {@code text[]} of the given SQL expressions, each cast to text (catalog names are of type name). */
    static String scope(String... expressions) {
        return Arrays.stream(expressions).map(e -> e.startsWith("'") ? e : e + "::text")
                .collect(Collectors.joining(", ", "ARRAY[", "]"));
    }

    /** The name of the role {@code oid}. */
    static String owner(String oid) {
        return "pg_get_userbyid(" + oid + ")";
    }

    /**
     * An ACL as sorted text, {@code grantee=PRIVILEGE,PRIVILEGE* by grantor; …} ({@code *}: with grant option),
     * the owner written {@code (owner)} (so a changed owner is reported once, as the owner) and {@code PUBLIC} for
     * everyone. A {@code NULL} ACL means the default for objects of {@code defaultKind} ({@code acldefault()}),
     * which is what a copy of it has whether or not the default was ever written out; {@code defaultKind}
     * {@code null} when a {@code NULL} ACL means none.
     */
    static String acl(String acl, String defaultKind, String owner) {
        String items = defaultKind == null ? acl
                : "coalesce(" + acl + ", acldefault('" + defaultKind + "', " + owner + "))";
        return "array_to_string(ARRAY(SELECT y.grantee || '=' || string_agg(y.privilege, ',' ORDER BY y.privilege)"
                + " || ' by ' || y.grantor FROM (SELECT " + role("x.grantee", owner) + " AS grantee, "
                + role("x.grantor", owner) + " AS grantor, x.privilege_type || CASE WHEN x.is_grantable THEN '*'"
                + " ELSE '' END AS privilege FROM aclexplode(" + items + ") x) y GROUP BY y.grantee, y.grantor"
                + " ORDER BY 1), '; ')";
    }

    private static String role(String oid, String owner) {
        return "CASE WHEN " + oid + " = " + owner + " THEN '(owner)' WHEN " + oid + " = 0 THEN 'PUBLIC' ELSE "
                + owner(oid) + "::text END";
    }

    /** A {@code text[]} of options ({@code reloptions}, {@code attoptions}…) sorted and joined. */
    static String options(String array) {
        return "array_to_string(ARRAY(SELECT o FROM unnest(" + array + ") o ORDER BY 1), ', ')";
    }

    /** The schema-qualified name of the collation {@code oid}, or {@code NULL}. */
    static String collation(String oid) {
        return "(SELECT format('%I.%I', cn.nspname, co.collname) FROM pg_collation co"
                + " JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = " + oid + ")";
    }
}
