package io.pgcopydb.stage;

import io.pgcopydb.internal.Wiring;
import io.pgcopydb.model.IndexDefinition;

/**
 * Builds one index on the target, once its table's rows are in.
 *
 * <p>Called concurrently from the index jobs; indexes of one table are built in parallel. Indexes backing a
 * PRIMARY KEY or UNIQUE constraint arrive here too (their definition is a {@code CREATE UNIQUE INDEX}); the
 * {@link ConstraintAttacher} attaches the constraint afterwards.
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
