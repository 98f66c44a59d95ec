package io.pgcopydb.internal.catalog;

import io.pgcopydb.internal.catalog.CatalogGraph.Constraint;
import io.pgcopydb.internal.catalog.CatalogGraph.Dependency;
import io.pgcopydb.internal.catalog.CatalogGraph.Extension;
import io.pgcopydb.internal.catalog.CatalogGraph.Namespace;
import io.pgcopydb.internal.catalog.CatalogGraph.ObjectRef;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation;
import io.pgcopydb.internal.catalog.CatalogGraph.SequenceDefault;
import io.pgcopydb.internal.catalog.CatalogGraph.SequenceOwner;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@link CatalogGraph} that filtering resolves against, on the snapshot holder's connection, so the
 * graph is the catalog of the data being copied. User objects only: system schemas and extension members are
 * left out, as {@link CatalogGraph}'s contract asks.
 */
public final class CatalogGraphReader {
    /** A user schema: not a system one, not created by an extension. */
    private static final String USER_SCHEMA = CatalogSql.NOT_SYSTEM_SCHEMA + """
            AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                            WHERE e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                              AND e.objid = n.oid AND e.deptype = 'e')
            """;

    private static final String SCHEMAS = "SELECT n.oid, n.nspname FROM pg_catalog.pg_namespace n WHERE "
            + USER_SCHEMA + " ORDER BY n.nspname";

    /** Relations and, for indexes, their table; extension members and the indexes of members left out. */
    private static final String RELATIONS = """
            SELECT c.oid, n.nspname, c.relname, c.relkind, coalesce(i.indrelid, 0),
                   coalesce((SELECT h.inhparent FROM pg_catalog.pg_inherits h
                             WHERE h.inhrelid = c.oid AND c.relispartition), 0)
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
            WHERE c.relkind IN ('r', 'p', 'm', 'f', 'v', 'S', 'i', 'I')
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                              WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                AND e.objid IN (c.oid, coalesce(i.indrelid, 0)) AND e.deptype = 'e')
              AND\s""" + USER_SCHEMA + " ORDER BY c.oid";

    /** Constraints of user relations; partition clones follow their parent's, so only parents' are listed. */
    private static final String CONSTRAINTS = """
            SELECT con.oid, con.conname, con.conrelid, con.contype, con.confrelid, con.conindid
            FROM pg_catalog.pg_constraint con
            JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE con.conparentid = 0 AND\s""" + USER_SCHEMA + " ORDER BY con.oid";

    private static final String SEQUENCE_OWNERS = """
            SELECT d.objid, d.refobjid, d.deptype = 'i'
            FROM pg_catalog.pg_depend d
            JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
              AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
              AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
            ORDER BY d.objid
            """;

    private static final String SEQUENCE_DEFAULTS = """
            SELECT ad.oid, d.refobjid, ad.adrelid
            FROM pg_catalog.pg_attrdef ad
            JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass
                 AND d.objid = ad.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
            JOIN pg_catalog.pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'
            ORDER BY ad.oid
            """;

    private static final String EXTENSIONS = """
            SELECT e.oid, e.extname, n.nspname
            FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
            ORDER BY e.extname
            """;

    /**
     * Normal and automatic pg_depend edges between user objects (OIDs from 16384 on), an object internal to
     * another (a view's rewrite rule) standing for its owner, as pgcopydb's list_source_depend.sql does; on the
     * referenced side, a table's row type stands for the table (a function returning {@code SETOF customer}
     * cannot be created without {@code customer}).
     */
    private static final String DEPENDENCIES = """
            WITH internal AS (
                SELECT classid, objid, refclassid AS owner_class, refobjid AS owner_oid
                FROM pg_catalog.pg_depend WHERE deptype = 'i')
            SELECT DISTINCT coalesce(o.owner_class, d.classid), coalesce(o.owner_oid, d.objid),
                            coalesce(rt.owner_class, d.refclassid), coalesce(rt.owner_oid, d.refobjid)
            FROM pg_catalog.pg_depend d
            LEFT JOIN internal o ON o.classid = d.classid AND o.objid = d.objid
            LEFT JOIN internal rt ON rt.classid = d.refclassid AND rt.objid = d.refobjid
                 AND d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass
                 AND rt.owner_class = 'pg_catalog.pg_class'::pg_catalog.regclass
            WHERE d.deptype IN ('n', 'a')
              AND d.refclassid <> 'pg_catalog.pg_namespace'::pg_catalog.regclass
              AND d.objid >= 16384 AND d.refobjid >= 16384
              AND (coalesce(o.owner_class, d.classid), coalesce(o.owner_oid, d.objid))
                  IS DISTINCT FROM (coalesce(rt.owner_class, d.refclassid), coalesce(rt.owner_oid, d.refobjid))
            ORDER BY 1, 2, 3, 4
            """;

    private CatalogGraphReader() {
    }

    public static CatalogGraph read(Connection c) throws SQLException {
        List<Namespace> schemas = new ArrayList<>();
        List<Relation> relations = new ArrayList<>();
        List<Constraint> constraints = new ArrayList<>();
        List<SequenceOwner> owners = new ArrayList<>();
        List<SequenceDefault> defaults = new ArrayList<>();
        List<Extension> extensions = new ArrayList<>();
        List<Dependency> dependencies = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            rows(s, SCHEMAS, rs -> schemas.add(new Namespace(rs.getLong(1), rs.getString(2))));
            rows(s, RELATIONS, rs -> relations.add(new Relation(rs.getLong(1), rs.getString(2), rs.getString(3),
                    Relation.Kind.of(rs.getString(4).charAt(0)), rs.getLong(5), rs.getLong(6))));
            rows(s, CONSTRAINTS, rs -> constraints.add(new Constraint(rs.getLong(1), rs.getString(2),
                    rs.getLong(3), rs.getString(4).charAt(0), rs.getLong(5), rs.getLong(6))));
            rows(s, SEQUENCE_OWNERS, rs -> owners.add(new SequenceOwner(rs.getLong(1), rs.getLong(2),
                    rs.getBoolean(3))));
            rows(s, SEQUENCE_DEFAULTS, rs -> defaults.add(new SequenceDefault(rs.getLong(1), rs.getLong(2),
                    rs.getLong(3))));
            rows(s, EXTENSIONS, rs -> extensions.add(new Extension(rs.getLong(1), rs.getString(2),
                    rs.getString(3))));
            rows(s, DEPENDENCIES, rs -> dependencies.add(new Dependency(
                    new ObjectRef(rs.getLong(1), rs.getLong(2)), new ObjectRef(rs.getLong(3), rs.getLong(4)))));
        }
        return new CatalogGraph(schemas, relations, constraints, owners, defaults, extensions, dependencies);
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void rows(Statement s, String sql, Row row) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                row.accept(rs);
            }
        }
    }
}
