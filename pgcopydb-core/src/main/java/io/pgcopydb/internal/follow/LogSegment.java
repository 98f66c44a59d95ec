package io.pgcopydb.internal.follow;

import java.nio.file.Path;

/**
 * One segment file of the {@link ChangeLog}: its number, the end LSN of its last commit, and how many of its bytes
 * are durable. Its mutable fields are guarded by the change log's monitor.
 */
final class LogSegment {
    final long number;
    final Path path;
    long lastCommitEnd;
    long durableSize;

    LogSegment(long number, Path path, long lastCommitEnd, long durableSize) {
        this.number = number;
        this.path = path;
        this.lastCommitEnd = lastCommitEnd;
        this.durableSize = durableSize;
    }
}
