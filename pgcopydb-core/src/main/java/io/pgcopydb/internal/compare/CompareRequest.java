package io.pgcopydb.internal.compare;

import io.pgcopydb.compare.Ignore;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.model.SequenceValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to compare.
 *
 * @param source the database copied from
 * @param target the database copied into
 * @param filters what was asked to be copied; {@link Filters#none()} for everything
 * @param ignored what the comparison leaves out on purpose
 * @param jobs how many tables (or parts of tables) are compared at once on each side
 * @param schema whether to compare the schema
 * @param data whether to compare the data
 * @param sourceSnapshot a snapshot of the source to read the data in (a copy's, for {@code verify()}); empty to
 *     export one
 * @param sourceSequences the source's sequence values to compare with, when they were read earlier (a copy's, in
 *     its snapshot: sequences are not transactional, so reading them again later gives their current value)
 * @param clientTools the bin directory of the pg_dump the safety net runs ({@code clientTools(dir)}); empty to
 *     find one as a copy does
 */
public record CompareRequest(ConnectionSpec source, ConnectionSpec target, Filters filters, Set<Ignore> ignored,
        int jobs, boolean schema, boolean data, Optional<String> sourceSnapshot,
        Optional<List<SequenceValue>> sourceSequences, Optional<Path> clientTools) {

    /** Checks for nulls and a positive job count. */
    public CompareRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(filters, "filters");
        ignored = Set.copyOf(ignored);
        Objects.requireNonNull(sourceSnapshot, "sourceSnapshot");
        sourceSequences = sourceSequences.map(List::copyOf);
        Objects.requireNonNull(clientTools, "clientTools");
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be >= 1, was " + jobs);
        }
    }

    /** A comparison reading both sides as they are now. */
    public CompareRequest(ConnectionSpec source, ConnectionSpec target, Filters filters, int jobs, boolean schema,
            boolean data) {
        this(source, target, filters, Set.of(), jobs, schema, data, Optional.empty(), Optional.empty(),
                Optional.empty());
    }
}
