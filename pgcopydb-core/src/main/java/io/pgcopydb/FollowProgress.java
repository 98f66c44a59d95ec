package io.pgcopydb;

import java.time.Duration;
import java.util.Objects;

/**
 * How far a follow is, at one instant (immutable).
 *
 * @param receivedUpTo the last WAL position the source reported to the receiver ({@code X/Y})
 * @param appliedUpTo the end of the last transaction applied on the target, the origin's progress ({@code X/Y})
 * @param lagBytes WAL between the two: received and not yet applied
 * @param lag how long ago the oldest transaction received and not yet applied committed on the source (to
 *     100 ms); zero when every transaction received is applied
 * @param applyBytesPerSecond WAL applied per second since the previous report
 * @param changeLogBytes the disk the change log takes
 */
public record FollowProgress(String receivedUpTo, String appliedUpTo, long lagBytes, Duration lag,
        long applyBytesPerSecond, long changeLogBytes) {

    /** Checks for nulls. */
    public FollowProgress {
        Objects.requireNonNull(receivedUpTo, "receivedUpTo");
        Objects.requireNonNull(appliedUpTo, "appliedUpTo");
        Objects.requireNonNull(lag, "lag");
    }
}
