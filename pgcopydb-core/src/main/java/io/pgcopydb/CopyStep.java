package io.pgcopydb;

import java.util.EnumSet;
import java.util.Set;

/**
 * One step of a copy that can be run alone on a work directory, as pgcopydb's {@code copy <step>} commands do
 * ({@link CopyBuilder#steps(CopyStep, CopyStep...)}). A copy that names no step runs them all, in this order, and
 * is the same as running each alone in this order on one work directory:
 *
 * <pre>{@code
 * for (CopyStep step : CopyStep.values()) {
 *     DatabaseCopy.from(src).to(tgt).workDirectory(dir).steps(step).run();
 * }
 * }</pre>
 *
 * <p>A step run alone reads the source in a snapshot of its own (or {@link CopyBuilder#snapshot(String)}'s), keeps
 * the work directory, and uses what earlier steps wrote there: the schema archive ({@code schema.dump}, dumped by
 * the first step that needs it and reused by the later ones) and the journal, which says which table data, indexes
 * and constraints are done — so {@link #POST_DATA} never rebuilds what {@link #INDEXES} and {@link #CONSTRAINTS}
 * built. The target must be empty unless the journal of the same work directory records that earlier steps
 * filled it. A step whose prerequisite is missing (indexes before any table data) is refused, naming the step to
 * run first.
 */
public enum CopyStep {
    /** The roles the source database uses ({@code pg_dumpall --roles-only}); existing roles are left alone. */
    ROLES,
    /** The extensions (and their schemas), then the data of their configuration tables. */
    EXTENSIONS,
    /** The schema's pre-data section: types, tables, functions, views … without indexes and constraints. */
    PRE_DATA,
    /** The tables' rows, by COPY, with no index, constraint or VACUUM. */
    TABLE_DATA,
    /** The indexes built alone (not those that belong to a constraint built with it). */
    INDEXES,
    /** Primary key, unique and exclusion constraints, on the indexes {@link #INDEXES} built. */
    CONSTRAINTS,
    /** {@code VACUUM ANALYZE} of the copied tables. */
    VACUUM,
    /** Every sequence set to the source's value. */
    SEQUENCES,
    /** Large objects' data. */
    LARGE_OBJECTS,
    /**
     * The schema's post-data section (foreign keys, triggers, rules, the indexes and constraints the earlier steps
     * did not build, materialized views' data), then the database's comment, privileges and settings.
     */
    POST_DATA;

    /** pgcopydb's {@code copy schema}: {@link #PRE_DATA} and {@link #POST_DATA}. */
    public static Set<CopyStep> schema() {
        return EnumSet.of(PRE_DATA, POST_DATA);
    }

    /**
     * The step as pgcopydb's {@code copy <step>} command names it: {@code roles}, {@code extensions},
     * {@code pre-data}, {@code table-data}, {@code indexes}, {@code constraints}, {@code sequences}, {@code blobs},
     * {@code post-data}; and {@code vacuum}, which pgcopydb runs only within {@code copy data}.
     */
    public String commandName() {
        return this == LARGE_OBJECTS ? "blobs" : name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
