package io.pgcopydb.internal.follow;

import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Where the apply stops: the endpos asked for, or the sentinel's (another process may set it while the follow
 * runs), whichever is lower; the sentinel file is read at most twice a second.
 */
final class Endpos implements LongSupplier {
    private static final long CHECK_NANOS = 500_000_000L;

    private final OptionalLong fixed;
    private final FollowDirectory dir;
    private long checkedAt;
    private long current = Long.MAX_VALUE;
    private boolean checked;

    Endpos(OptionalLong fixed, FollowDirectory dir) {
        this.fixed = fixed;
        this.dir = dir;
    }

    @Override
    public synchronized long getAsLong() {
        long now = System.nanoTime();
        if (!checked || now - checkedAt > CHECK_NANOS) {
            long sentinel = dir.endpos().orElse(Long.MAX_VALUE);
            current = Math.min(fixed.orElse(Long.MAX_VALUE), sentinel);
            checkedAt = now;
            checked = true;
        }
        return current;
    }

    String describe() {
        long end = getAsLong();
        return end == Long.MAX_VALUE ? "the sentinel's endpos (none set yet)" : Lsn.format(end);
    }
}
