package io.pgcopydb.stage;

import io.pgcopydb.internal.Wiring;
import io.pgcopydb.model.IndexDefinition;

/**
 * Builds one index on the target, once its table's rows are in.
 *
 * <p>Called concurrently from the index jobs; indexes of one table are built in parallel. Indexes backing a
 * PRIMARY KEY or UNIQUE constraint arrive here too (their definition is a {@code CREATE UNIQUE INDEX}); the
 * {@link ConstraintAttacher} attaches the constraint afterwards.
 *
 * <p>Not every index of the source comes here. Left to the post-data restore (pg_restore), and announced in
 * {@link io.pgcopydb.PlannedCopy#postDataIndexes()} rather than by index events: indexes of <b>partitioned
 * tables</b> (created on the parent, then attached to the partitions' indexes, which do come here) and of
 * <b>materialized views</b> (built when the view is refreshed). Indexes backing an EXCLUDE constraint are built by
 * adding the constraint ({@link ConstraintAttacher}).
 */
@FunctionalInterface
public interface IndexBuilder {

    /**
     * Builds {@code index}.
     *
     * @return the SQL that was executed, for the report
     * @throws Exception when the build fails
     */
    String build(IndexDefinition index, StageContext context) throws Exception;

    /** Runs the source's {@code pg_get_indexdef()} on the target. */
    static IndexBuilder standard() {
        return Wiring.indexBuilder();
    }
}
