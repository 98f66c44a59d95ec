package io.pgcopydb.internal.preflight;

import io.pgcopydb.internal.preflight.TargetVersionCheck.NewerFeature;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the source's objects that use a feature an older server cannot hold. Each query names catalog columns
 * that exist only from some major version on, so it is sent only to a source of that version or newer: the whole
 * set runs on PostgreSQL 12 through 18 (a 12 source has none of these features and is sent none of the queries).
 * Objects an extension owns are left out: the extension's own script creates them.
 */
final class SourceFeatures {
    /** Not in a system schema, and not created by an extension's script; {@code %s} is the object's catalog. */
    private static final String USER_OBJECT = """
            n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
            AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = '%s'::pg_catalog.regclass
                            AND d.objid = %s AND d.deptype = 'e')""";

    /** A query returning one object name per row, the feature it uses and the version that brought it. */
    private record Query(int since, String feature, String remedy, String sql) {
    }

    private static final List<Query> QUERIES = List.of(
            new Query(15, "NULLS NOT DISTINCT", "make it NULLS DISTINCT on the source", """
                    SELECT CASE WHEN con.oid IS NULL THEN format('index %%I.%%I', n.nspname, c.relname)
                           ELSE format('constraint %%I on %%I.%%I', con.conname, n.nspname, t.relname) END
                    FROM pg_catalog.pg_index i
                    JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
                    JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
                    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = t.oid
                    WHERE i.indnullsnotdistinct AND %s ORDER BY 1""".formatted(user("pg_class", "c.oid"))),
            new Query(14, "a multirange type", "change the column's type on the source", """
                    SELECT format('column %%I.%%I.%%I', n.nspname, c.relname, a.attname)
                    FROM pg_catalog.pg_attribute a
                    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
                    WHERE ty.typtype = 'm' AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v',
                      'm', 'f', 'c') AND %s ORDER BY 1""".formatted(user("pg_class", "c.oid"))),
            // pg_dump of a 14+ server names every range type's multirange type, which a 12 or 13 server rejects.
            new Query(14, "multirange_type_name (pg_dump writes it for every range type of a 14+ server)",
                    "no change on the source avoids it", """
                    SELECT format('range type %%I.%%I', n.nspname, t.typname)
                    FROM pg_catalog.pg_range r
                    JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid
                    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                    WHERE %s ORDER BY 1""".formatted(user("pg_type", "t.oid"))),
            new Query(14, "a COMPRESSION clause", "ALTER TABLE … ALTER COLUMN … SET COMPRESSION default on the "
                    + "source", """
                    SELECT format('column %%I.%%I.%%I', n.nspname, c.relname, a.attname)
                    FROM pg_catalog.pg_attribute a
                    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE a.attcompression IN ('p', 'l') AND a.attnum > 0 AND NOT a.attisdropped
                      AND c.relkind IN ('r', 'p', 'm') AND %s ORDER BY 1""".formatted(user("pg_class", "c.oid"))),
            new Query(14, "a SQL-standard body (BEGIN ATOMIC or RETURN)", "rewrite it as a string body (AS $$ … $$) "
                    + "on the source", """
                    SELECT format('function %%I.%%I(%%s)', n.nspname, p.proname,
                                  pg_catalog.pg_get_function_identity_arguments(p.oid))
                    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                    WHERE p.prosqlbody IS NOT NULL AND %s ORDER BY 1""".formatted(user("pg_proc", "p.oid"))),
            // A heuristic: the body is text, and "merge into" in a comment or a string counts too.
            new Query(15, "MERGE (its body matches MERGE INTO)", "rewrite it without MERGE on the source", """
                    SELECT format('function %%I.%%I(%%s)', n.nspname, p.proname,
                                  pg_catalog.pg_get_function_identity_arguments(p.oid))
                    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                    WHERE p.prosrc ~* '\\mmerge\\s+into\\M' AND %s ORDER BY 1""".formatted(user("pg_proc", "p.oid"))),
            new Query(15, "a column list or row filter", "publish the whole table on the source", """
                    SELECT format('publication %I (table %I.%I)', p.pubname, n.nspname, c.relname)
                    FROM pg_catalog.pg_publication_rel pr
                    JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
                    JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid
                    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE (pr.prattrs IS NOT NULL OR pr.prqual IS NOT NULL) ORDER BY 1"""));

    private SourceFeatures() {
    }

    /** The condition that the object {@code oid} of {@code catalog} (its schema aliased {@code n}) is a user's. */
    static String user(String catalog, String oid) {
        return USER_OBJECT.formatted("pg_catalog." + catalog, oid);
    }

    /**
     * The source's objects using a feature newer than PostgreSQL 12, with the version each needs.
     *
     * @param source a session on the source
     * @param sourceMajor the source's major version: queries naming newer columns are not sent
     */
    static List<NewerFeature> read(Connection source, int sourceMajor) throws SQLException {
        List<NewerFeature> out = new ArrayList<>();
        for (Query q : QUERIES) {
            if (sourceMajor < q.since()) {
                continue;
            }
            try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(q.sql())) {
                while (rs.next()) {
                    out.add(new NewerFeature(rs.getString(1), q.feature(), q.since(), q.remedy()));
                }
            }
        }
        return out;
    }
}
