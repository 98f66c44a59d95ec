package io.pgcopydb.internal.compare;

import static io.pgcopydb.internal.compare.SchemaSql.scope;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The existence check for every other class of user object, so that none slips through unnoticed: operators,
 * operator classes and families, casts, conversions, text search parsers, dictionaries, templates and
 * configurations, foreign-data wrappers, foreign servers, user mappings, event triggers, extended statistics,
 * transforms, languages and access methods. Each is named by {@code pg_identify_object()} (type and identity,
 * e.g. {@code operator public.===(integer,integer)} or {@code cast (text AS public.mood)}) and compared by its
 * owner (where it has one), its comment and, for event triggers, whether it is enabled. A user object is one
 * created after initdb (OID 16384 and up), not in a system schema, not an extension's member, not internal to
 * another object (a range's multirange cast comes with the range).
 */
final class CatalogGenericQuery {
    /** Catalog, its OID column, its owner column (or {@code NULL}). */
    private static final List<String[]> CATALOGS = List.of(
            new String[] {"pg_operator", "oid", "oprowner"},
            new String[] {"pg_opclass", "oid", "opcowner"},
            new String[] {"pg_opfamily", "oid", "opfowner"},
            new String[] {"pg_cast", "oid", "NULL"},
            new String[] {"pg_conversion", "oid", "conowner"},
            new String[] {"pg_ts_parser", "oid", "NULL"},
            new String[] {"pg_ts_dict", "oid", "dictowner"},
            new String[] {"pg_ts_template", "oid", "NULL"},
            new String[] {"pg_ts_config", "oid", "cfgowner"},
            new String[] {"pg_foreign_data_wrapper", "oid", "fdwowner"},
            new String[] {"pg_foreign_server", "oid", "srvowner"},
            new String[] {"pg_transform", "oid", "NULL"},
            new String[] {"pg_language", "oid", "lanowner"},
            new String[] {"pg_am", "oid", "NULL"});

    private CatalogGenericQuery() {
    }

    /** The query, one row per user object of those classes. */
    static String query() {
        String plain = CATALOGS.stream().map(c -> "SELECT '" + c[0] + "' AS cat, " + c[1] + " AS oid, " + c[2]
                + " AS owner, '{}'::text[] AS scope, NULL::text AS enabled FROM " + c[0])
                .collect(Collectors.joining("\n UNION ALL "));
        // User mappings through the view: pg_user_mapping itself is readable by superusers only.
        return """
                SELECT format('%s %s', o.type, o.identity) AS object, NULL AS parent,
                       x.scope || CASE WHEN o.schema IS NULL THEN '{}'::text[] ELSE\s"""
                + scope("'schema'", "o.schema") + """
                 END AS scope,
                       CASE WHEN x.owner IS NOT NULL THEN pg_get_userbyid(x.owner) END AS owner,
                       x.enabled AS enabled, obj_description(x.oid, x.cat) AS comment
                  FROM (""" + plain + """

                 UNION ALL SELECT 'pg_user_mapping', umid, NULL, '{}'::text[], NULL FROM pg_user_mappings
                 UNION ALL SELECT 'pg_event_trigger', oid, evtowner, '{}'::text[],
                                  CASE evtenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled'
                                                  WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END
                             FROM pg_event_trigger
                 UNION ALL SELECT 'pg_statistic_ext', s.oid, s.stxowner,\s"""
                + scope("'relation'", "sn.nspname", "sc.relname") + """
                , NULL
                             FROM pg_statistic_ext s JOIN pg_class sc ON sc.oid = s.stxrelid
                             JOIN pg_namespace sn ON sn.oid = sc.relnamespace) x
                 CROSS JOIN LATERAL pg_identify_object(x.cat::regclass, x.oid, 0) o
                 WHERE x.oid >= 16384
                   AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = x.cat::regclass AND e.objid = x.oid
                                   AND e.deptype IN ('e', 'i'))
                   AND (o.schema IS NULL OR (o.schema NOT IN ('pg_catalog', 'information_schema')
                                             AND o.schema !~ '^pg_toast' AND o.schema !~ '^pg_temp'))
                """;
    }
}
