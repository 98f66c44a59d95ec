package io.pgcopydb.internal.schema;

import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.SqlText;
import io.pgcopydb.internal.postgres.TocLine;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.QualifiedName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inheritance children restored in the source's column order. pg_dump writes {@code CREATE TABLE child (…local
 * columns…) INHERITS (parent)}, which puts the parents' columns first; a child whose columns are in another order
 * (created on its own and attached with {@code ALTER TABLE … INHERIT}, or whose parent gained a column after it
 * existed) would come back reordered, and {@code SELECT *} and positional {@code COPY} would differ between the
 * two sides. Such a child's TABLE entry is replaced: pg_restore's SQL for it with the CREATE TABLE rewritten by
 * {@link InheritingTable}, the parents attached with {@code ALTER TABLE ONLY … INHERIT}, the rest of the entry
 * (owner, statistics, storage…) unchanged, in one transaction. Partitions are left alone: pg_dump writes them with
 * every column and attaches them afterwards, so they keep their order. So are foreign tables that inherit (their
 * CREATE FOREIGN TABLE is not rewritten).
 *
 * <p>The columns and CHECK constraints the rewrite lists that the source's child only inherits end up local too
 * ({@code attislocal}, {@code conislocal}: {@code ALTER TABLE parent DROP COLUMN} would then keep them on the
 * child). When the target role is a superuser they are marked inherited-only again, as
 * {@code pg_dump --binary-upgrade} does ({@code UPDATE pg_catalog.pg_attribute SET attislocal = false …}); when it
 * is not, a warning names them.
 */
final class InheritedColumnOrder {
    private static final Logger LOG = LoggerFactory.getLogger(InheritedColumnOrder.class);
    private static final String CHILDREN = """
            SELECT c.oid, n.nspname, c.relname,
                   ARRAY(SELECT i.inhparent::pg_catalog.int8 FROM pg_catalog.pg_inherits i
                         WHERE i.inhrelid = c.oid ORDER BY i.inhseqno),
                   ARRAY(SELECT pn.nspname FROM pg_catalog.pg_inherits i
                         JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
                         JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
                         WHERE i.inhrelid = c.oid ORDER BY i.inhseqno),
                   ARRAY(SELECT p.relname FROM pg_catalog.pg_inherits i
                         JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
                         WHERE i.inhrelid = c.oid ORDER BY i.inhseqno)
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND NOT c.relispartition
              AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid)
            """;

    /** Live columns by attnum, with the definition an inherited-only column gets (qualified: search_path is empty). */
    private static final String COLUMNS = """
            SELECT a.attrelid, a.attname, a.attislocal, a.attnotnull,
                   pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                           THEN ' COLLATE ' || pg_catalog.quote_ident(cn.nspname) || '.'
                                || pg_catalog.quote_ident(co.collname) ELSE '' END
                   || CASE WHEN a.attgenerated = 's'
                           THEN ' GENERATED ALWAYS AS (' || pg_catalog.pg_get_expr(d.adbin, d.adrelid) || ') STORED'
                           ELSE '' END
                   || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
            FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
            LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
            LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = ANY (?) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum
            """;

    private static final String PARENT_CHECKS = """
            SELECT conname, pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint
            WHERE conrelid = ?::pg_catalog.regclass AND contype = 'c' AND NOT connoinherit ORDER BY conname
            """;

    private InheritedColumnOrder() {
    }

    /** The replacements of the active TABLE entries of {@code list} whose columns INHERITS would reorder. */
    static List<PreDataReplacements.Replacement> replacements(RunContext context, RestoreScript script,
            List<String> list) throws SQLException {
        List<TocLine> tables = list.stream().map(TocLine::parse).flatMap(Optional::stream)
                .filter(e -> e.is("TABLE")).toList();
        if (tables.isEmpty()) {
            return List.of();
        }
        List<PreDataReplacements.Replacement> replacements = new ArrayList<>();
        try (Connection source = context.openSource()) {
            Sessions.execute(source, "SELECT pg_catalog.set_config('search_path', '', true)");
            Map<Long, InheritingTable> children = children(source, Set.copyOf(tables.stream()
                    .map(TocLine::objectOid).toList()));
            if (children.isEmpty()) {
                return List.of();
            }
            Map<Long, List<InheritingTable.Column>> columns = columns(source, children);
            Map<Long, List<String>> names = new HashMap<>();
            columns.forEach((oid, cs) -> names.put(oid, cs.stream().map(InheritingTable.Column::name).toList()));
            for (TocLine e : tables) {
                InheritingTable child = children.get(e.objectOid());
                if (child == null) {
                    continue;
                }
                child = new InheritingTable(child.name(), child.parents(), child.parentOids(),
                        columns.getOrDefault(e.objectOid(), List.of()));
                if (!child.order().equals(child.orderByInherits(names))) {
                    InheritingTable table = child;
                    replacements.add(new PreDataReplacements.Replacement(e.dumpId(), "table " + child.name(),
                            target -> restore(context, target, table, script.entry(list, e.dumpId()))));
                }
            }
        }
        return replacements;
    }

    private static Map<Long, InheritingTable> children(Connection source, Set<Long> listed) throws SQLException {
        Map<Long, InheritingTable> children = new LinkedHashMap<>();
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(CHILDREN)) {
            while (rs.next()) {
                if (!listed.contains(rs.getLong(1))) {
                    continue;
                }
                String[] schemas = strings(rs.getArray(5));
                String[] names = strings(rs.getArray(6));
                List<QualifiedName> parents = new ArrayList<>();
                for (int i = 0; i < schemas.length; i++) {
                    parents.add(new QualifiedName(schemas[i], names[i]));
                }
                children.put(rs.getLong(1), new InheritingTable(new QualifiedName(rs.getString(2), rs.getString(3)),
                        parents, Arrays.asList((Long[]) rs.getArray(4).getArray()), List.of()));
            }
        }
        return children;
    }

    private static Map<Long, List<InheritingTable.Column>> columns(Connection source,
            Map<Long, InheritingTable> children) throws SQLException {
        List<Long> relations = new ArrayList<>(children.keySet());
        children.values().forEach(c -> relations.addAll(c.parentOids()));
        Map<Long, List<InheritingTable.Column>> columns = new HashMap<>();
        try (PreparedStatement ps = source.prepareStatement(COLUMNS)) {
            ps.setArray(1, source.createArrayOf("oid", relations.stream().distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(
                            new InheritingTable.Column(rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
                                    rs.getString(5)));
                }
            }
        }
        return columns;
    }

    /** Runs the entry's SQL with its CREATE TABLE rewritten, in one transaction. */
    private static void restore(RunContext context, Connection target, InheritingTable child, String entrySql)
            throws Exception {
        List<String> statements = SqlScript.statements(entrySql);
        int create = 0;
        while (create < statements.size() && !InheritingTable.isCreateTable(statements.get(create))) {
            create++;
        }
        target.setAutoCommit(false);
        try {
            // pg_restore's session settings (an empty search_path among them) come before the CREATE TABLE.
            run(target, statements.subList(0, Math.min(create, statements.size())));
            Optional<InheritingTable.Rewrite> rewrite = create == statements.size() ? Optional.empty()
                    : child.rewrite(statements.get(create), parentChecks(target, child));
            if (rewrite.isEmpty()) {
                context.warn("table " + child.name() + ": pg_dump's definition is not the one expected, so its "
                        + "columns are left in the order INHERITS gives: " + String.join(", ", child.order())
                        + " on the source");
                run(target, statements.subList(create, statements.size()));
            } else {
                run(target, List.of(rewrite.get().createTable()));
                run(target, child.notNullStatements());
                run(target, child.inheritStatements());
                markInherited(context, target, child, rewrite.get());
                run(target, statements.subList(create + 1, statements.size()));
            }
            target.commit();
        } catch (Exception e) {
            target.rollback();
            throw e;
        }
    }

    private static Map<String, String> parentChecks(Connection target, InheritingTable child) throws SQLException {
        Map<String, String> checks = new LinkedHashMap<>();
        try (PreparedStatement ps = target.prepareStatement(PARENT_CHECKS)) {
            for (QualifiedName parent : child.parents()) {
                ps.setString(1, parent.quoted());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        checks.putIfAbsent(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return checks;
    }

    /** attislocal / conislocal back to false for what the source's child only inherits (superuser only). */
    private static void markInherited(RunContext context, Connection target, InheritingTable child,
            InheritingTable.Rewrite rewrite) throws SQLException {
        if (rewrite.inheritedColumns().isEmpty() && rewrite.addedConstraints().isEmpty()) {
            return;
        }
        if (!superuser(target)) {
            context.warn("table " + child.name() + ": restored in the source's column order, but its "
                    + describe(rewrite) + " are local on the target where the source's are only inherited "
                    + "(marking them needs a superuser); ALTER TABLE … DROP COLUMN on a parent would keep them");
            return;
        }
        update(target, "UPDATE pg_catalog.pg_attribute SET attislocal = false WHERE attrelid = ?::pg_catalog.regclass "
                + "AND attname = ANY (?::pg_catalog.name[])", child, rewrite.inheritedColumns());
        update(target, "UPDATE pg_catalog.pg_constraint SET conislocal = false WHERE conrelid = "
                + "?::pg_catalog.regclass AND contype = 'c' AND conname = ANY (?::pg_catalog.name[])", child,
                rewrite.addedConstraints());
    }

    private static String describe(InheritingTable.Rewrite rewrite) {
        List<String> parts = new ArrayList<>();
        if (!rewrite.inheritedColumns().isEmpty()) {
            parts.add("columns " + String.join(", ", rewrite.inheritedColumns()));
        }
        if (!rewrite.addedConstraints().isEmpty()) {
            parts.add("constraints " + String.join(", ", rewrite.addedConstraints()));
        }
        return parts.stream().collect(Collectors.joining(" and "));
    }

    private static void update(Connection target, String sql, InheritingTable child, List<String> names)
            throws SQLException {
        if (names.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            ps.setString(1, child.name().quoted());
            ps.setArray(2, target.createArrayOf("text", names.toArray()));
            ps.executeUpdate();
        }
    }

    private static boolean superuser(Connection target) throws SQLException {
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = CURRENT_USER")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static void run(Connection target, List<String> statements) throws SQLException {
        for (String sql : statements) {
            LOG.debug("{};", SqlText.cap(sql.strip(), 2000));
            Sessions.execute(target, sql);
        }
    }

    private static String[] strings(Array array) throws SQLException {
        return (String[]) array.getArray();
    }
}
