package io.pgcopydb.internal.follow;

import io.pgcopydb.CopyReport;
import io.pgcopydb.FollowListener;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * What a follow was asked, frozen by the public {@code FollowBuilder}.
 *
 * @param source the database changes come from
 * @param target the database they are applied to
 * @param directory the follow's directory ({@link FollowDirectory})
 * @param names the slot's, publication's and origin's names
 * @param filters what is published (the copy's filter when there is a copy)
 * @param endpos where to stop, when given; else the sentinel's endpos, whenever another process sets it
 * @param resume whether to continue a follow whose slot, publication and origin exist
 * @param segmentBytes the change log's segment size
 * @param maxLogBytes the change log's disk bound
 * @param copy the copy to run in the slot's snapshot (given its id), when the follow starts with one
 * @param listener the observer of the follow's progress
 */
public record FollowRequest(ConnectionSpec source, ConnectionSpec target, Path directory, FollowNames names,
        Filters filters, OptionalLong endpos, boolean resume, long segmentBytes, long maxLogBytes,
        Optional<Function<String, CopyReport>> copy, FollowListener listener) {

    /** Checks for nulls. */
    public FollowRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(filters, "filters");
        Objects.requireNonNull(endpos, "endpos");
        Objects.requireNonNull(copy, "copy");
        Objects.requireNonNull(listener, "listener");
    }
}
