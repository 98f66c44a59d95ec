package io.pgcopydb;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a follow ended ({@link FollowBuilder#run()}): immutable.
 *
 * @param copy the report of the copy it started with, when it ran one
 * @param appliedUpTo the end LSN of the last transaction applied on the target (the replication origin's progress),
 *     as PostgreSQL writes it ({@code 0/16B3748})
 * @param endpos where it was asked to stop ({@code endpos(…)} or the sentinel)
 * @param sequencesSynced how many sequences were set on the target to their source values at the end
 * @param dropped what the finished follow dropped: its replication slot, publication and origin
 * @param elapsed how long the follow ran, copy included
 */
public record FollowReport(Optional<CopyReport> copy, String appliedUpTo, String endpos, int sequencesSynced,
        List<String> dropped, Duration elapsed) {

    /** Checks for nulls and copies the list. */
    public FollowReport {
        Objects.requireNonNull(copy, "copy");
        Objects.requireNonNull(appliedUpTo, "appliedUpTo");
        Objects.requireNonNull(endpos, "endpos");
        dropped = List.copyOf(dropped);
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
