package io.pgcopydb.internal.filter;

import io.pgcopydb.filter.Filters;
import io.pgcopydb.internal.catalog.CatalogGraph;
import java.util.Objects;

/**
 * Resolves a {@link Filters} against a {@link CatalogGraph}: the one place that decides what a filter means,
 * so the table list, pg_restore's lists, sequences, indexes and matview refreshes all agree. Pure and
 * thread-safe; a resolution reads nothing but its arguments.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li><b>Schemas</b> pass when they match include-only-schema (if used) and no exclude-schema entry.
 *   <li><b>Tables</b> (tables, partitioned tables, materialized views, foreign tables) are selected when their
 *       schema passes, they pass include-only-table (if used) and match no exclude-table entry. Partitions: a
 *       partition whose partitioned parent is not selected is not selected (it cannot exist alone); matching a
 *       partitioned table in include-only-table selects all its partitions, matching a partition selects it
 *       and keeps its ancestors' definitions (not their other partitions); exclude-table on a partition
 *       skips only that partition. exclude-table-data on a partitioned table applies to all its partitions.
 *   <li><b>Closure</b>: everything depending on a skipped table, skipped sequence or excluded index is skipped
 *       too (views, constraints, triggers, defaults, inheritance children, matviews…). A selected table reached
 *       this way is skipped with a warning (an error when an exact include-only-table entry names it).
 *   <li><b>Sequences</b> are kept when owned by a selected table (an identity sequence only then), or used in
 *       a column default of a selected table (even in a schema the filter leaves out, #390; if its owner is
 *       skipped its {@code SEQUENCE OWNED BY} is dropped), or unowned in a selected schema (#817). Kept
 *       sequences are reset; the others are skipped. Steps 3 and 4 repeat until nothing changes.
 *   <li><b>Indexes</b> of selected tables and matviews are built unless excluded or closed over;
 *       <b>extensions</b> pass include-only-extension (if used) and no exclude-extension entry; schema filters
 *       do not apply to extensions.
 * </ol>
 *
 * <p>Problems: an exact include-only entry matching nothing is an error, any other entry matching nothing a
 * warning. A foreign key from a selected table with rows to a table whose rows are (partly) not copied would
 * fail when post-data validates it: an error offering {@code excludeTableData} on the referencing table or
 * {@code foreignKeysNotValid()}, with which it is a warning and the key is listed to be created
 * {@code NOT VALID}. A constraint, default or other object of a selected table dropped by the closure is a
 * warning (a foreign key to a skipped table cannot be created at all).
 */
public final class FilterScope {
    private final Filters filters;
    private final boolean foreignKeysNotValid;

    /**
     * @param foreignKeysNotValid whether foreign keys referencing rows that are not copied are created
     *     {@code NOT VALID} (a warning) instead of stopping the copy (an error)
     */
    FilterScope(Filters filters, boolean foreignKeysNotValid) {
        this.filters = Objects.requireNonNull(filters, "filters");
        this.foreignKeysNotValid = foreignKeysNotValid;
    }

    /** What {@code filters} select in {@code graph}. */
    Selection resolve(CatalogGraph graph) {
        return new Resolution(filters, foreignKeysNotValid, Objects.requireNonNull(graph, "graph")).resolve();
    }
}
