package io.pgcopydb.internal.follow;

import io.pgcopydb.internal.follow.PgOutputMessage.Relation;
import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A source table as the applier writes it: the source's {@link Relation} message matched, column by column, with the
 * target's table of the same name. The target decides a column's type (values are cast to it), whether it is
 * generated (then the applier leaves it to the target) and whether it is an identity {@code GENERATED ALWAYS} column
 * (then inserts say {@code OVERRIDING SYSTEM VALUE}). Immutable.
 *
 * @param relation the source's relation message
 * @param name the target table
 * @param partitioned whether the target table is partitioned (a row's {@code ctid} is then unique only with its
 *        {@code tableoid})
 * @param columns the target's column for each column of the relation message, in the same order
 */
public record ApplyTable(Relation relation, QualifiedName name, boolean partitioned, List<TargetColumn> columns) {

    /**
     * One of the target table's columns.
     *
     * @param quoted the column's name, quoted for SQL
     * @param type the column's type as {@code format_type} writes it, for a cast of the bound text
     * @param generated whether the target generates it ({@code GENERATED ALWAYS AS (…) STORED}): never written
     * @param identityAlways whether it is {@code GENERATED ALWAYS AS IDENTITY}
     * @param textCompared whether its type has no equality usable to find a row ({@code json}, {@code xml}, geometric
     *        types — whose {@code =} compares areas), so that a {@code REPLICA IDENTITY FULL} match compares text
     */
    public record TargetColumn(String quoted, String type, boolean generated, boolean identityAlways,
            boolean textCompared) {
    }

    private static final String COLUMNS = """
            SELECT c.relkind, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attgenerated <> '',
                   a.attidentity = 'a',
                   (WITH RECURSIVE under(oid) AS (
                        SELECT a.atttypid
                        UNION ALL
                        SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END
                          FROM under u JOIN pg_catalog.pg_type t ON t.oid = u.oid
                         WHERE t.typtype = 'd' OR (t.typelem <> 0 AND t.typlen = -1))
                    SELECT coalesce(bool_or(t.typname IN ('json', 'xml', 'point', 'line', 'lseg', 'box', 'path',
                                                          'polygon', 'circle')), false)
                      FROM under u JOIN pg_catalog.pg_type t ON t.oid = u.oid)
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')
            """;

    public ApplyTable {
        columns = List.copyOf(columns);
    }

    /**
     * Reads the target's table for {@code relation}.
     *
     * @throws ApplyException naming the table or column when the target has no such table, or lacks a column the
     *         source sends (the source's DDL is not replicated: the target must be changed the same way)
     */
    public static ApplyTable read(Connection target, Relation relation) throws SQLException {
        QualifiedName name = new QualifiedName(relation.namespace().isEmpty() ? "pg_catalog" : relation.namespace(),
                relation.name());
        Map<String, TargetColumn> byName = new HashMap<>();
        boolean partitioned = false;
        try (PreparedStatement s = target.prepareStatement(COLUMNS)) {
            s.setString(1, name.schema());
            s.setString(2, name.name());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    partitioned = "p".equals(r.getString(1));
                    String column = r.getString(2);
                    byName.put(column, new TargetColumn(QualifiedName.quoteIdent(column), r.getString(3),
                            r.getBoolean(4), r.getBoolean(5), r.getBoolean(6)));
                }
            }
        }
        if (byName.isEmpty()) {
            throw new ApplyException("the target has no table " + name + " for the source's changes to it: create it"
                    + " on the target (the source's DDL is not replicated), or leave it out of the publication");
        }
        List<TargetColumn> columns = new ArrayList<>();
        for (PgOutputMessage.Column c : relation.columns()) {
            TargetColumn t = byName.get(c.name());
            if (t == null) {
                throw new ApplyException("the target's table " + name + " has no column \"" + c.name() + "\" that the"
                        + " source sends: alter the target table as the source was altered (DDL is not replicated)");
            }
            columns.add(t);
        }
        return new ApplyTable(relation, name, partitioned, columns);
    }

    /** Whether values are written into column {@code i} of the relation (the target does not generate it). */
    public boolean written(int i) {
        return !columns.get(i).generated();
    }

    /** Whether column {@code i} is part of the replica identity the source sends old values for. */
    public boolean key(int i) {
        return relation.columns().get(i).key();
    }

    /** The number of the relation's columns. */
    public int size() {
        return columns.size();
    }
}
