package io.pgcopydb.internal.compare;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import java.util.Objects;

/**
 * What to compare.
 *
 * @param source the database copied from
 * @param target the database copied into
 * @param filters what was asked to be copied; {@link Filters#none()} for everything
 * @param jobs how many tables (or parts of tables) are compared at once on each side
 * @param schema whether to compare the schema
 * @param data whether to compare the data
 */
public record CompareRequest(ConnectionSpec source, ConnectionSpec target, Filters filters, int jobs, boolean schema,
        boolean data) {

    /** Checks for nulls and a positive job count. */
    public CompareRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(filters, "filters");
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be >= 1, was " + jobs);
        }
    }
}
