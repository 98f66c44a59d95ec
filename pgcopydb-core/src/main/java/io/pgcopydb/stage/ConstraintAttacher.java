package io.pgcopydb.stage;

import io.pgcopydb.internal.Wiring;
import io.pgcopydb.model.ConstraintDefinition;

/**
 * Adds one index-backed constraint on the target after all of its table's indexes are built.
 *
 * <p>The constraints of one table are attached one after the other ({@code ALTER TABLE} takes an exclusive
 * lock); different tables' constraints may be attached concurrently.
 */
@FunctionalInterface
public interface ConstraintAttacher {

    /**
     * Attaches {@code constraint}.
     *
     * @return the SQL that was executed, for the report
     * @throws Exception when it fails
     */
    String attach(ConstraintDefinition constraint, StageContext context) throws Exception;

    /**
     * {@code ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY | UNIQUE USING INDEX …} (keeping {@code DEFERRABLE} and
     * {@code INITIALLY DEFERRED}); EXCLUDE constraints with their definition.
     */
    static ConstraintAttacher standard() {
        return Wiring.constraintAttacher();
    }
}
