package io.pgcopydb.internal.compare;

import static io.pgcopydb.internal.compare.SchemaSql.USER_SCHEMA;
import static io.pgcopydb.internal.compare.SchemaSql.acl;
import static io.pgcopydb.internal.compare.SchemaSql.collation;
import static io.pgcopydb.internal.compare.SchemaSql.notInternal;
import static io.pgcopydb.internal.compare.SchemaSql.notMember;
import static io.pgcopydb.internal.compare.SchemaSql.owner;
import static io.pgcopydb.internal.compare.SchemaSql.scope;

import java.util.ArrayList;
import java.util.List;

/**
 * The catalog queries for the objects that are not relations, one per object class, in the shape
 * {@link SchemaSql} describes: schemas, functions and procedures, types and domains, collations, extensions,
 * default privileges, publications, database settings, the database's comment and privileges. {@link CatalogGenericQuery} lists the remaining classes.
 */
final class SchemaObjectQueries {
    private static final String SCHEMA_SCOPE = scope("'schema'", "n.nspname");

    private SchemaObjectQueries() {
    }

    /** The queries for a server of {@code version} ({@code server_version_num}). */
    static List<String> all(int version) {
        List<String> queries = new ArrayList<>(List.of(schemas(), functions(), types(), collations(version),
                extensions(), defaultPrivileges(), publications(version), publicationTables(version), settings(),
                database()));
        if (version >= 150000) {
            queries.add(publicationSchemas());
        }
        return queries;
    }

    private static String schemas() {
        return "SELECT format('schema %I', n.nspname) AS object, NULL AS parent, " + scope("'created'", "n.nspname")
                + " AS scope, " + owner("n.nspowner") + " AS owner, " + acl("n.nspacl", "n", "n.nspowner")
                + " AS acl, obj_description(n.oid, 'pg_namespace') AS comment FROM pg_namespace n WHERE "
                + USER_SCHEMA + " AND " + notMember("pg_namespace", "n.oid");
    }

    /**
     * Functions, procedures and aggregates, named by their argument types (what identifies them, the same text
     * on every version; argument names and modes are part of the definition). An aggregate has no
     * {@code pg_get_functiondef()}: its definition is its {@code pg_aggregate} row, functions and types by name.
     */
    private static String functions() {
        return """
                SELECT format('%s %I.%I(%s)', CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'
                                                             ELSE 'function' END,
                              n.nspname, p.proname, oidvectortypes(p.proargtypes)) AS object,
                       NULL AS parent,\s""" + SCHEMA_SCOPE + " AS scope, " + owner("p.proowner") + " AS owner, "
                + acl("p.proacl", "f", "p.proowner") + """
                 AS acl, obj_description(p.oid, 'pg_proc') AS comment,
                  CASE WHEN p.prokind = 'a' THEN
                      (SELECT format('SFUNC = %s, STYPE = %s, FINALFUNC = %s, COMBINEFUNC = %s, INITCOND = %s, '
                                     || 'SORTOP = %s, KIND = %s, RETURNS %s',
                                     a.aggtransfn::regprocedure, format_type(a.aggtranstype, NULL),
                                     nullif(a.aggfinalfn, 0)::regprocedure, nullif(a.aggcombinefn, 0)::regprocedure,
                                     a.agginitval, nullif(a.aggsortop, 0)::regoperator, a.aggkind,
                                     pg_get_function_result(p.oid))
                       FROM pg_aggregate a WHERE a.aggfnoid = p.oid)
                  ELSE pg_get_functiondef(p.oid) END AS definition
                 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE\s""" + USER_SCHEMA + " AND " + notMember("pg_proc", "p.oid") + " AND "
                + notInternal("pg_proc", "p.oid");
    }

    /**
     * Composite types (not tables' row types), enums, domains, ranges and base types; not the array types the
     * server makes for each type, nor the multirange made for each range.
     */
    private static String types() {
        return """
                SELECT format('%s %I.%I', CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, n.nspname,
                              t.typname) AS object,
                       NULL AS parent,\s""" + SCHEMA_SCOPE + " AS scope, " + owner("t.typowner") + " AS owner, "
                + acl("t.typacl", "T", "t.typowner") + " AS acl, " + collation("nullif(t.typcollation, 0)")
                + """
                 AS collation, obj_description(t.oid, 'pg_type') AS comment,
                  CASE t.typtype WHEN 'c' THEN 'composite' WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain'
                                 WHEN 'r' THEN 'range' WHEN 'b' THEN 'base' WHEN 'p' THEN 'pseudo'
                                 ELSE t.typtype::text END AS kind,
                  array_to_string(ARRAY(SELECT format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod))
                                               || CASE WHEN a.attcollation <> ct.typcollation
                                                       THEN ' COLLATE ' || (SELECT quote_ident(co.collname)
                                                                            FROM pg_collation co
                                                                            WHERE co.oid = a.attcollation)
                                                       ELSE '' END
                                        FROM pg_attribute a JOIN pg_type ct ON ct.oid = a.atttypid
                                        WHERE a.attrelid = t.typrelid AND t.typrelid <> 0 AND a.attnum > 0
                                          AND NOT a.attisdropped ORDER BY a.attnum), ', ') AS attributes,
                  array_to_string(ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid
                                        ORDER BY e.enumsortorder), ', ') AS labels,
                  CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS "base type",
                  coalesce(pg_get_expr(t.typdefaultbin, 0), t.typdefault) AS default,
                  t.typnotnull AS "not null",
                  array_to_string(ARRAY(SELECT format('%I %s', co.conname, pg_get_constraintdef(co.oid))
                                        FROM pg_constraint co WHERE co.contypid = t.oid AND co.contype <> 'n'
                                        ORDER BY 1), '; ') AS constraints,
                  (SELECT format('subtype %s, opclass %I.%I, collation %s, canonical %s, subdiff %s',
                                 format_type(r.rngsubtype, NULL), ocn.nspname, oc.opcname,
                                 (SELECT quote_ident(co.collname) FROM pg_collation co WHERE co.oid = r.rngcollation),
                                 nullif(r.rngcanonical, 0)::regproc, nullif(r.rngsubdiff, 0)::regproc)
                   FROM pg_range r JOIN pg_opclass oc ON oc.oid = r.rngsubopc
                   JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace WHERE r.rngtypid = t.oid) AS range
                 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE t.typtype <> 'm'
                  AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
                  AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
                  AND\s""" + USER_SCHEMA + " AND " + notMember("pg_type", "t.oid");
    }

    /**
     * Collations: an ICU (or, from 17, builtin) collation's locale is {@code colliculocale} (15, 16) or
     * {@code colllocale} (17+) but {@code collcollate} before 15, so the locale is read from where each
     * version keeps it and two versions compare.
     */
    private static String collations(int version) {
        String icu = version >= 170000 ? "co.colllocale" : version >= 150000 ? "co.colliculocale" : "co.collcollate";
        String rules = version >= 160000 ? ", co.collicurules AS rules" : "";
        return "SELECT format('collation %I.%I', n.nspname, co.collname) AS object, NULL AS parent, " + SCHEMA_SCOPE
                + " AS scope, " + owner("co.collowner") + " AS owner, obj_description(co.oid, 'pg_collation') AS "
                + "comment, CASE co.collprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' "
                + "WHEN 'd' THEN 'default' ELSE co.collprovider::text END AS provider, "
                + "CASE WHEN co.collprovider IN ('i', 'b') THEN " + icu + " ELSE co.collcollate END AS locale, "
                + "CASE WHEN co.collprovider IN ('i', 'b') THEN '' ELSE co.collctype END AS ctype, "
                + "co.collisdeterministic AS deterministic" + rules
                + " FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace WHERE " + USER_SCHEMA
                + " AND " + notMember("pg_collation", "co.oid");
    }

    private static String extensions() {
        return "SELECT format('extension %I', x.extname) AS object, NULL AS parent, " + scope("'extension'",
                "x.extname") + " AS scope, x.extversion AS version, n.nspname AS schema, "
                + "obj_description(x.oid, 'pg_extension') AS comment "
                + "FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace";
    }

    /** {@code ALTER DEFAULT PRIVILEGES}, per role, schema (if any) and kind of object. */
    private static String defaultPrivileges() {
        return """
                SELECT format('default privileges of role %I%s on %s', pg_get_userbyid(d.defaclrole),
                              CASE WHEN d.defaclnamespace <> 0 THEN ' in schema ' || quote_ident(n.nspname) ELSE '' END,
                              CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences'
                                                   WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types'
                                                   WHEN 'n' THEN 'schemas' ELSE d.defaclobjtype::text END) AS object,
                       NULL AS parent,
                       CASE WHEN d.defaclnamespace <> 0 THEN\s""" + SCHEMA_SCOPE + " END AS scope, "
                + acl("d.defaclacl", null, "d.defaclrole") + " AS acl FROM pg_default_acl d"
                + " LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace";
    }

    private static String publications(int version) {
        String viaRoot = version >= 130000 ? ", p.pubviaroot AS \"via root\"" : "";
        return "SELECT format('publication %I', p.pubname) AS object, NULL AS parent, NULL AS scope, "
                + owner("p.pubowner") + " AS owner, obj_description(p.oid, 'pg_publication') AS comment, "
                + "p.puballtables AS \"all tables\", array_to_string(ARRAY[CASE WHEN p.pubinsert THEN 'insert' END, "
                + "CASE WHEN p.pubupdate THEN 'update' END, CASE WHEN p.pubdelete THEN 'delete' END, "
                + "CASE WHEN p.pubtruncate THEN 'truncate' END], ', ') AS operations" + viaRoot
                + " FROM pg_publication p";
    }

    /**
     * The tables of each publication, each compared only when the table is, and part of both the publication and
     * the table; row filters and columns from 15.
     */
    private static String publicationTables(int version) {
        String more = version >= 150000 ? ", pg_get_expr(pr.prqual, pr.prrelid) AS \"row filter\", "
                + "array_to_string(ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = pr.prrelid "
                + "AND a.attnum = ANY (pr.prattrs) ORDER BY a.attnum), ', ') AS columns" : "";
        return "SELECT format('table %I.%I in publication %I', n.nspname, c.relname, p.pubname) AS object, "
                + "ARRAY[format('publication %I', p.pubname), format('table %I.%I', n.nspname, c.relname)] AS parent, "
                + scope("'relation'", "n.nspname", "c.relname")
                + " AS scope, 'member' AS membership" + more + " FROM pg_publication_rel pr"
                + " JOIN pg_publication p ON p.oid = pr.prpubid JOIN pg_class c ON c.oid = pr.prrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace";
    }

    private static String publicationSchemas() {
        return "SELECT format('schema %I in publication %I', n.nspname, p.pubname) AS object, "
                + "format('publication %I', p.pubname) AS parent, " + SCHEMA_SCOPE + " AS scope, "
                + "'member' AS membership FROM pg_publication_namespace pn"
                + " JOIN pg_publication p ON p.oid = pn.pnpubid JOIN pg_namespace n ON n.oid = pn.pnnspid";
    }

    /**
     * The database itself: its comment and privileges (its owner is the target's own, not copied; the owner's
     * items of the ACL are written {@code (owner)}, so they compare whoever owns each database).
     */
    private static String database() {
        return "SELECT 'database' AS object, NULL AS parent, NULL AS scope, " + acl("d.datacl", "d", "d.datdba")
                + " AS acl, shobj_description(d.oid, 'pg_database') AS comment FROM pg_database d"
                + " WHERE d.datname = current_database()";
    }

    /**
     * {@code ALTER DATABASE … SET} and {@code ALTER ROLE … IN DATABASE … SET} of the current database, one object
     * per setting; the database's name itself is not part of any name, so two databases compare.
     */
    private static String settings() {
        return """
                SELECT CASE WHEN s.setrole = 0 THEN format('database setting %s', split_part(x, '=', 1))
                            ELSE format('role %I setting %s', pg_get_userbyid(s.setrole), split_part(x, '=', 1))
                       END AS object,
                       NULL AS parent, NULL AS scope, substr(x, strpos(x, '=') + 1) AS value
                  FROM pg_db_role_setting s CROSS JOIN LATERAL unnest(s.setconfig) x
                 WHERE s.setdatabase = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
                """;
    }
}
