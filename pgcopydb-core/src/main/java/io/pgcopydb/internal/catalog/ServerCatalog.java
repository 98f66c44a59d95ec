package io.pgcopydb.internal.catalog;

import io.pgcopydb.filter.ListedCollation;
import io.pgcopydb.filter.ListedDatabase;
import io.pgcopydb.filter.ListedExtension;
import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What {@code list databases|extensions|collations} read: the server's databases, the database's extensions and
 * the collations it uses. Plain catalog reads, on a session the caller opened.
 */
public final class ServerCatalog {
    private static final String DATABASES = """
            SELECT d.oid, d.datname,
                   CASE WHEN pg_catalog.has_database_privilege(d.oid, 'CONNECT')
                        THEN pg_catalog.pg_database_size(d.oid) END
            FROM pg_catalog.pg_database d
            WHERE d.datname NOT IN ('template0', 'template1')
            ORDER BY d.datname""";

    private static final String EXTENSIONS = """
            SELECT e.oid, e.extname, n.nspname, e.extversion, e.extrelocatable,
                   coalesce(pg_catalog.array_length(e.extconfig, 1), 0)
            FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
            ORDER BY e.extname""";

    /**
     * As pgcopydb's {@code list_collations.sql}: the collations of the database (its default locale), of user
     * tables' columns and of user indexes; the column holding the locale moved between versions, read through
     * {@code to_jsonb} so one query serves them all.
     */
    private static final String COLLATIONS = """
            WITH used(oid) AS (
                SELECT a.attcollation
                FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attcollation <> 0 AND
                """ + CatalogSql.USER_RELATION + """
                UNION
                SELECT pg_catalog.unnest(i.indcollation::pg_catalog.oid[])
                FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE\s""" + CatalogSql.USER_RELATION + """
                UNION
                SELECT co.oid FROM pg_catalog.pg_collation co, pg_catalog.pg_database d
                WHERE d.datname = pg_catalog.current_database() AND co.collname = d.datcollate
                  AND co.collencoding IN (-1, d.encoding)
            )
            SELECT co.oid, n.nspname, co.collname,
                   CASE co.collprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin'
                                        ELSE 'default' END,
                   coalesce(pg_catalog.to_jsonb(co) ->> 'colllocale', pg_catalog.to_jsonb(co) ->> 'colliculocale',
                            co.collcollate, ''),
                   pg_catalog.pg_describe_object('pg_catalog.pg_collation'::pg_catalog.regclass, co.oid, 0)
            FROM used JOIN pg_catalog.pg_collation co ON co.oid = used.oid
            JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
            WHERE co.collname <> 'default'
            ORDER BY n.nspname, co.collname""";

    private ServerCatalog() {
    }

    /** The server's databases but the two templates, by name. */
    public static List<ListedDatabase> databases(Connection c) throws SQLException {
        List<ListedDatabase> list = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(DATABASES)) {
            while (rs.next()) {
                long bytes = rs.getLong(3);
                list.add(new ListedDatabase(rs.getLong(1), rs.getString(2), rs.wasNull() ? OptionalLong.empty()
                        : OptionalLong.of(bytes)));
            }
        }
        return list;
    }

    /** The database's extensions, by name. */
    public static List<ListedExtension> extensions(Connection c) throws SQLException {
        List<ListedExtension> list = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(EXTENSIONS)) {
            while (rs.next()) {
                list.add(new ListedExtension(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5), rs.getInt(6)));
            }
        }
        return list;
    }

    /** The collations the database, its user tables' columns and its user indexes use, but {@code default}. */
    public static List<ListedCollation> collations(Connection c) throws SQLException {
        List<ListedCollation> list = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(COLLATIONS)) {
            while (rs.next()) {
                list.add(new ListedCollation(rs.getLong(1), new QualifiedName(rs.getString(2), rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getString(6)));
            }
        }
        return list;
    }
}
