package io.pgcopydb;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The frozen options of a follow ({@link FollowBuilder#options()}): immutable.
 *
 * @param source the database changes come from
 * @param target the database they are applied to
 * @param directory the follow's directory (change log, sentinel, lock)
 * @param slotName the logical replication slot's name
 * @param publication the publication's name
 * @param origin the replication origin's name
 * @param filters what is published
 * @param endpos where to stop, as a 64-bit WAL position, when one was given
 * @param resume whether an interrupted follow is continued
 * @param changeLogSegmentBytes the size at which the change log starts a new segment
 * @param maxChangeLogBytes the change log's disk bound
 * @param listener the observer of the follow's progress
 */
public record FollowOptions(ConnectionSpec source, ConnectionSpec target, Path directory, String slotName,
        String publication, String origin, Filters filters, OptionalLong endpos, boolean resume,
        long changeLogSegmentBytes, long maxChangeLogBytes, FollowListener listener) {

    /** Checks for nulls. */
    public FollowOptions {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(slotName, "slotName");
        Objects.requireNonNull(publication, "publication");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(filters, "filters");
        Objects.requireNonNull(endpos, "endpos");
        Objects.requireNonNull(listener, "listener");
    }
}
