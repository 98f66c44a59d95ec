package io.pgcopydb.internal.follow;

import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * When received transactions committed on the source, by commit end LSN, one sample per 100 ms of commits (so a
 * backlog of millions of transactions costs little memory): what the lag in seconds is measured from.
 * Thread-safe.
 */
final class CommitClock {
    private static final long SAMPLE_MICROS = 100_000;

    private final TreeMap<Long, Long> times = new TreeMap<>();

    synchronized void committed(long endLsn, long micros) {
        if (times.isEmpty() || micros - times.lastEntry().getValue() >= SAMPLE_MICROS) {
            times.put(endLsn, micros);
        }
    }

    /** A transaction whose Begin arrived: the server sends it only once committed, and says when in the Begin. */
    void begun(StoredChange begin) {
        committed(PgOutputMessages.beginFinalLsn(begin), PgOutputMessages.beginCommitTimeMicros(begin));
    }

    /** Forgets the transactions ending at or before {@code applied}. */
    synchronized void applied(long applied) {
        times.headMap(applied, true).clear();
    }

    /** When the oldest transaction ending after {@code applied} committed (µs since the epoch), if one was seen. */
    synchronized OptionalLong oldestAfter(long applied) {
        var e = times.higherEntry(applied);
        return e == null ? OptionalLong.empty() : OptionalLong.of(e.getValue());
    }
}
