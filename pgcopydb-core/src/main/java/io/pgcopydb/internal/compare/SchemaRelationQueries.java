package io.pgcopydb.internal.compare;

import static io.pgcopydb.internal.compare.SchemaSql.RELATION_OBJECT;
import static io.pgcopydb.internal.compare.SchemaSql.acl;
import static io.pgcopydb.internal.compare.SchemaSql.collation;
import static io.pgcopydb.internal.compare.SchemaSql.options;
import static io.pgcopydb.internal.compare.SchemaSql.owner;
import static io.pgcopydb.internal.compare.SchemaSql.scope;

import io.pgcopydb.internal.catalog.CatalogSql;
import java.util.List;

/**
 * The catalog queries for relations and their parts, one per object class, in the shape {@link SchemaSql}
 * describes: tables (with partitioned tables, partitions and foreign tables), views and materialized views,
 * sequences, columns, indexes, constraints, triggers, rules and policies. User relations only (not in a system
 * schema, not an extension's).
 */
final class SchemaRelationQueries {
    private static final String FROM_RELATION = """
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            """;
    private static final String RELATION_SCOPE = scope("'relation'", "n.nspname", "c.relname");
    private static final String COMMENT = "obj_description(c.oid, 'pg_class') AS comment";

    private SchemaRelationQueries() {
    }

    /** The queries for a server of {@code version} ({@code server_version_num}). */
    static List<String> all(int version) {
        return List.of(tables(), views(), sequences(), columns(version), indexes(), constraints(),
                triggers(version), rules(), policies());
    }

    private static String tables() {
        return "SELECT " + RELATION_OBJECT + " AS object, NULL AS parent, " + RELATION_SCOPE + " AS scope, "
                + owner("c.relowner") + " AS owner, " + acl("c.relacl", "r", "c.relowner") + " AS acl, " + COMMENT
                + """
                , CASE c.relpersistence WHEN 'u' THEN 'unlogged' WHEN 't' THEN 'temporary' ELSE 'permanent' END
                       AS persistence,
                  c.relrowsecurity AS "row security", c.relforcerowsecurity AS "force row security",
                  CASE c.relreplident WHEN 'd' THEN 'default' WHEN 'n' THEN 'nothing' WHEN 'f' THEN 'full'
                                      WHEN 'i' THEN 'index' END AS "replica identity",
                  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS "partition key",
                  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS "partition bound",
                  array_to_string(ARRAY(SELECT format('%I.%I', pn.nspname, p.relname) FROM pg_inherits i
                                        JOIN pg_class p ON p.oid = i.inhparent
                                        JOIN pg_namespace pn ON pn.oid = p.relnamespace
                                        WHERE i.inhrelid = c.oid ORDER BY i.inhseqno), ', ') AS inherits,
                  (SELECT a.amname FROM pg_am a WHERE a.oid = c.relam) AS "access method",
                  CASE WHEN c.reloftype <> 0 THEN format_type(c.reloftype, NULL) END AS "of type",
                  (SELECT s.srvname FROM pg_foreign_table ft JOIN pg_foreign_server s ON s.oid = ft.ftserver
                   WHERE ft.ftrelid = c.oid) AS "foreign server",
                  (SELECT\s""" + options("ft.ftoptions") + """
                   FROM pg_foreign_table ft WHERE ft.ftrelid = c.oid) AS "foreign options",
                """ + options("c.reloptions") + " AS options" + FROM_RELATION
                + "WHERE c.relkind IN ('r', 'p', 'f') AND " + CatalogSql.USER_RELATION;
    }

    private static String views() {
        return "SELECT " + RELATION_OBJECT + " AS object, NULL AS parent, " + RELATION_SCOPE + " AS scope, "
                + owner("c.relowner") + " AS owner, " + acl("c.relacl", "r", "c.relowner") + " AS acl, " + COMMENT
                + ", pg_get_viewdef(c.oid) AS definition, " + options("c.reloptions") + " AS options, "
                + "(SELECT a.amname FROM pg_am a WHERE a.oid = c.relam) AS \"access method\"" + FROM_RELATION
                + "WHERE c.relkind IN ('v', 'm') AND " + CatalogSql.USER_RELATION;
    }

    /** Not {@code last_value} nor {@code is_called}: those are data. */
    private static String sequences() {
        return "SELECT " + RELATION_OBJECT + " AS object, NULL AS parent, " + RELATION_SCOPE
                + " || CASE WHEN o.relname IS NULL THEN '{}'::text[] ELSE "
                + scope("'needs'", "'owned by'", "o.nspname", "o.relname") + " END AS scope, "
                + owner("c.relowner") + " AS owner, " + acl("c.relacl", "s", "c.relowner") + " AS acl, " + COMMENT
                + """
                , format_type(s.seqtypid, NULL) AS type, s.seqstart AS start, s.seqincrement AS increment,
                  s.seqmin AS minimum, s.seqmax AS maximum, s.seqcache AS cache, s.seqcycle AS cycle,
                  CASE c.relpersistence WHEN 'u' THEN 'unlogged' ELSE 'permanent' END AS persistence,
                  CASE WHEN o.relname IS NOT NULL THEN format('%I.%I.%I', o.nspname, o.relname, o.attname)
                  END AS "owned by"
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 JOIN pg_sequence s ON s.seqrelid = c.oid
                 LEFT JOIN LATERAL (SELECT tn.nspname, t.relname, a.attname FROM pg_depend d
                                    JOIN pg_class t ON t.oid = d.refobjid
                                    JOIN pg_namespace tn ON tn.oid = t.relnamespace
                                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                      AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                                      AND d.refobjsubid > 0 LIMIT 1) o ON true
                WHERE c.relkind = 'S' AND\s""" + CatalogSql.USER_RELATION;
    }

    /**
     * Columns of tables, views, materialized views and foreign tables. The position is the rank among live
     * columns: {@code attnum} counts dropped ones, which a copy does not have.
     */
    private static String columns(int version) {
        String statistics = version >= 170000 ? "coalesce(a.attstattarget, -1)" : "a.attstattarget";
        String compression = version >= 140000
                ? ", CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' ELSE '' END AS compression" : "";
        return "SELECT format('column %I.%I.%I', n.nspname, c.relname, a.attname) AS object, " + RELATION_OBJECT
                + " AS parent, " + RELATION_SCOPE + " AS scope, "
                + acl("a.attacl", null, "c.relowner") + " AS acl, col_description(c.oid, a.attnum) AS comment, "
                + collation("a.attcollation") + " AS collation, " + statistics + " AS \"statistics target\", "
                + options("a.attoptions") + " AS options, " + options("a.attfdwoptions") + " AS \"foreign options\""
                + compression + """
                , rank() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS position,
                  format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "not null",
                  pg_get_expr(d.adbin, d.adrelid) AS default,
                  CASE a.attgenerated WHEN 's' THEN 'stored' WHEN 'v' THEN 'virtual' ELSE '' END AS generated,
                  CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' ELSE '' END AS identity,
                  CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'm' THEN 'main'
                                    WHEN 'x' THEN 'extended' END AS storage
                 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
                  AND\s""" + CatalogSql.USER_RELATION;
    }

    /** Indexes, with the partitioned table's index each partition's is attached to. */
    private static String indexes() {
        return "SELECT format('index %I.%I', n.nspname, i.relname) AS object, " + RELATION_OBJECT + " AS parent, "
                + scope("'relation'", "n.nspname", "i.relname", "'relation'", "n.nspname", "c.relname") + """
                 AS scope,
                  pg_get_indexdef(x.indexrelid) AS definition, x.indisvalid AS valid, x.indisclustered AS clustered,
                  x.indisreplident AS "replica identity", obj_description(i.oid, 'pg_class') AS comment,
                  (SELECT format('%I.%I', pn.nspname, p.relname) FROM pg_inherits h
                   JOIN pg_class p ON p.oid = h.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
                   WHERE h.inhrelid = i.oid) AS "partition of"
                 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE\s""" + CatalogSql.USER_RELATION;
    }

    /**
     * Table constraints but NOT NULL ones (PostgreSQL 18 lists those in pg_constraint; the columns' {@code not
     * null} covers them on every version) and the clones a foreign key to a partitioned table gets for each
     * referenced partition (internal, named like their parent). The definition is shown without its trailing
     * {@code DEFERRABLE}, {@code INITIALLY DEFERRED} and {@code NOT VALID}: those are aspects of their own. A
     * foreign key is compared only when the table it references is; whether it is validated, only when that
     * table's rows are copied (a copy creates it {@code NOT VALID} otherwise). A partition's clone of its
     * partitioned table's constraint names that constraint ({@code partition of}).
     */
    private static String constraints() {
        return "SELECT format('constraint %I on %I.%I', con.conname, n.nspname, c.relname) AS object, "
                + RELATION_OBJECT + " AS parent, " + RELATION_SCOPE + " || CASE WHEN con.contype = 'f' THEN "
                + scope("'relation'", "rn.nspname", "r.relname", "'rows'", "'validated'", "rn.nspname", "r.relname")
                + " ELSE '{}'::text[] END AS scope" + """
                , regexp_replace(pg_get_constraintdef(con.oid), '( DEFERRABLE)?( INITIALLY DEFERRED)?( NOT VALID)?$',
                                 '') AS definition,
                  con.condeferrable AS deferrable, con.condeferred AS deferred, con.convalidated AS validated,
                  obj_description(con.oid, 'pg_constraint') AS comment,
                  (SELECT format('%I on %I.%I', pc.conname, pn.nspname, p.relname) FROM pg_constraint pc
                   JOIN pg_class p ON p.oid = pc.conrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
                   WHERE pc.oid = con.conparentid) AS "partition of"
                 FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 LEFT JOIN pg_class r ON r.oid = con.confrelid
                 LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
                WHERE con.contype <> 'n'
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint pc
                                  WHERE pc.oid = con.conparentid AND pc.conrelid = con.conrelid)
                  AND\s""" + CatalogSql.USER_RELATION;
    }

    /**
     * User triggers, the clones of a partitioned table's triggers on its partitions included. Before 15 those
     * clones are marked internal (15 stopped marking them); internal triggers with a constraint (foreign keys,
     * deferred unique keys) stay out on every version.
     */
    private static String triggers(int version) {
        String user = version >= 150000 ? "NOT t.tgisinternal"
                : "(NOT t.tgisinternal OR (t.tgconstraint = 0 AND c.relispartition))";
        return "SELECT format('trigger %I on %I.%I', t.tgname, n.nspname, c.relname) AS object, " + RELATION_OBJECT
                + " AS parent, " + RELATION_SCOPE + """
                 AS scope, pg_get_triggerdef(t.oid) AS definition,
                  CASE t.tgenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica'
                                   WHEN 'A' THEN 'always' END AS enabled,
                  obj_description(t.oid, 'pg_trigger') AS comment
                 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE\s""" + user + " AND " + CatalogSql.USER_RELATION;
    }

    /** Rules but the {@code _RETURN} rule of a view (its definition is compared as the view's). */
    private static String rules() {
        return "SELECT format('rule %I on %I.%I', r.rulename, n.nspname, c.relname) AS object, " + RELATION_OBJECT
                + " AS parent, " + RELATION_SCOPE + """
                 AS scope, pg_get_ruledef(r.oid) AS definition,
                  CASE r.ev_enabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica'
                                    WHEN 'A' THEN 'always' END AS enabled,
                  obj_description(r.oid, 'pg_rewrite') AS comment
                 FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE r.rulename <> '_RETURN' AND\s""" + CatalogSql.USER_RELATION;
    }

    private static String policies() {
        return "SELECT format('policy %I on %I.%I', p.polname, n.nspname, c.relname) AS object, " + RELATION_OBJECT
                + " AS parent, " + RELATION_SCOPE + """
                 AS scope,
                  CASE p.polcmd WHEN '*' THEN 'ALL' WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT'
                                WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' END AS command,
                  array_to_string(ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(r)::text END
                                        FROM unnest(p.polroles) r ORDER BY 1), ', ') AS roles,
                  pg_get_expr(p.polqual, p.polrelid) AS using,
                  pg_get_expr(p.polwithcheck, p.polrelid) AS "with check",
                  CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END AS permissive,
                  obj_description(p.oid, 'pg_policy') AS comment
                 FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE\s""" + CatalogSql.USER_RELATION;
    }
}
