package io.pgcopydb.internal.schema;

import io.pgcopydb.model.QualifiedName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inheritance child as the source has it, and pg_dump's {@code CREATE TABLE child (…) INHERITS (…)} rewritten
 * to give it the same column order: every live column listed in the source's order (pg_dump's text for the
 * columns it writes, the local ones; {@code name type [COLLATE …] [GENERATED …] [NOT NULL]} from the source for
 * the inherited-only ones), the parents' CHECK constraints added where pg_dump left them to {@code INHERITS}
 * ({@code ALTER TABLE … INHERIT} requires the child to have them, same names), and no {@code INHERITS} clause:
 * the parents are attached afterwards, with {@code ALTER TABLE ONLY child INHERIT parent} in {@code inhseqno}
 * order.
 *
 * @param name the child
 * @param parents its parents, in {@code inhseqno} order
 * @param parentOids their OIDs on the source, in the same order
 * @param columns its live columns, by {@code attnum}
 */
record InheritingTable(QualifiedName name, List<QualifiedName> parents, List<Long> parentOids, List<Column> columns) {
    private static final Pattern CREATE = Pattern.compile("^CREATE (UNLOGGED )?TABLE ", Pattern.CASE_INSENSITIVE);
    private static final Pattern INHERITS = Pattern.compile("^\\s*INHERITS\\s*\\(", Pattern.CASE_INSENSITIVE);

    /**
     * A live column of the child.
     *
     * @param name its name
     * @param local whether the child defines it itself ({@code attislocal}): pg_dump writes only those
     * @param notNull whether it is NOT NULL ({@code attnotnull})
     * @param definition {@code name type [COLLATE …] [GENERATED ALWAYS AS (…) STORED] [NOT NULL]}, qualified
     */
    record Column(String name, boolean local, boolean notNull, String definition) {
    }

    /**
     * The rewritten statement.
     *
     * @param createTable the CREATE TABLE statement, without INHERITS
     * @param inheritedColumns the columns it lists that pg_dump left to INHERITS (inherited-only on the source)
     * @param addedConstraints the CHECK constraints it adds that pg_dump left to INHERITS
     */
    record Rewrite(String createTable, List<String> inheritedColumns, List<String> addedConstraints) {
    }

    InheritingTable {
        parents = List.copyOf(parents);
        parentOids = List.copyOf(parentOids);
        columns = List.copyOf(columns);
    }

    /** Whether {@code statement} (comments aside) is a CREATE TABLE, the one an entry of a table starts with. */
    static boolean isCreateTable(String statement) {
        return CREATE.matcher(SqlScript.withoutComments(statement)).find();
    }

    /**
     * The column order {@code CREATE TABLE child (local columns) INHERITS (parents)} gives: each parent's columns
     * in its order, parent by parent (a name seen before is merged), then the local columns not yet listed.
     */
    List<String> orderByInherits(Map<Long, List<String>> parentColumns) {
        Set<String> order = new java.util.LinkedHashSet<>();
        parentOids.forEach(p -> order.addAll(parentColumns.getOrDefault(p, List.of())));
        columns.stream().filter(Column::local).forEach(c -> order.add(c.name()));
        return List.copyOf(order);
    }

    /** The source's column order. */
    List<String> order() {
        return columns.stream().map(Column::name).toList();
    }

    /**
     * pg_dump's {@code statement} rewritten; empty when it is not what this child expects (another shape, or other
     * local columns than the source's), so the caller can leave it as it is.
     *
     * @param parentChecks the CHECK constraints the parents have on the target (name to definition), which the
     *     child needs before {@code INHERIT}
     */
    Optional<Rewrite> rewrite(String statement, Map<String, String> parentChecks) {
        int open = SqlScript.indexAtTopLevel(statement, '(', 0);
        int close = open < 0 ? -1 : SqlScript.closingParenthesis(statement, open);
        if (close < 0) {
            return Optional.empty();
        }
        String tail = statement.substring(close + 1);
        Matcher inherits = INHERITS.matcher(tail);
        if (!inherits.find()) {
            return Optional.empty();
        }
        int inheritsClose = SqlScript.closingParenthesis(tail, inherits.end() - 1);
        if (inheritsClose < 0) {
            return Optional.empty();
        }
        Map<String, String> local = new LinkedHashMap<>();
        List<String> constraints = new ArrayList<>();
        Set<String> constraintNames = new HashSet<>();
        for (String element : SqlScript.splitTopLevel(statement.substring(open + 1, close))) {
            if (element.regionMatches(true, 0, "CONSTRAINT ", 0, "CONSTRAINT ".length())) {
                constraints.add(element);
                constraintNames.add(SqlScript.leadingIdentifier(element.substring("CONSTRAINT ".length())));
            } else {
                local.put(SqlScript.leadingIdentifier(element), element);
            }
        }
        if (!local.keySet().equals(new HashSet<>(columns.stream().filter(Column::local).map(Column::name).toList()))) {
            return Optional.empty();
        }
        List<String> elements = new ArrayList<>();
        List<String> inheritedColumns = new ArrayList<>();
        for (Column c : columns) {
            elements.add(c.local() ? local.get(c.name()) : c.definition());
            if (!c.local()) {
                inheritedColumns.add(c.name());
            }
        }
        elements.addAll(constraints);
        List<String> added = new ArrayList<>();
        parentChecks.forEach((constraint, definition) -> {
            if (!constraintNames.contains(constraint)) {
                elements.add("CONSTRAINT " + QualifiedName.quoteIdent(constraint) + " " + definition);
                added.add(constraint);
            }
        });
        String rewritten = statement.substring(0, open) + "(\n    " + String.join(",\n    ", elements) + "\n)"
                + tail.substring(0, inherits.start()) + tail.substring(inheritsClose + 1);
        return Optional.of(new Rewrite(rewritten, inheritedColumns, added));
    }

    /**
     * {@code SET NOT NULL} of the local columns that are NOT NULL on the source: pg_dump leaves it out of their
     * definition when a parent's column is NOT NULL (INHERITS would make them so), and {@code INHERIT} requires it.
     */
    List<String> notNullStatements() {
        return columns.stream().filter(c -> c.local() && c.notNull()).map(c -> "ALTER TABLE ONLY " + name.quoted()
                + " ALTER COLUMN " + QualifiedName.quoteIdent(c.name()) + " SET NOT NULL").toList();
    }

    /** {@code ALTER TABLE ONLY child INHERIT parent}, one per parent, in {@code inhseqno} order. */
    List<String> inheritStatements() {
        return parents.stream().map(p -> "ALTER TABLE ONLY " + name.quoted() + " INHERIT " + p.quoted()).toList();
    }
}
