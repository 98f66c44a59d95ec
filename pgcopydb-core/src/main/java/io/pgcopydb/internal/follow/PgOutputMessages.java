package io.pgcopydb.internal.follow;

import java.nio.ByteBuffer;

/**
 * The few fields of pgoutput messages the receiver and the change log need (protocol version 1): where a
 * transaction commits, and which relation or type a cached message describes. The applier decodes the rest.
 */
final class PgOutputMessages {
    /** 2000-01-01, where PostgreSQL's timestamps count from, in microseconds since the Unix epoch. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private PgOutputMessages() {
    }

    static boolean isBegin(StoredChange c) {
        return c.type() == 'B';
    }

    static boolean isCommit(StoredChange c) {
        return c.type() == 'C';
    }

    /** {@code R}elation and t{@code Y}pe messages describe what later changes refer to: the log keeps the last of each. */
    static boolean isCached(StoredChange c) {
        return c.type() == 'R' || c.type() == 'Y';
    }

    /** A Begin's final LSN: the position of its transaction's commit record. */
    static long beginFinalLsn(StoredChange begin) {
        return ByteBuffer.wrap(begin.message()).getLong(1);
    }

    /**
     * A Begin's commit timestamp, in microseconds since the Unix epoch: without streaming the server sends a
     * transaction only once it committed, and says when in its Begin, long before the Commit message of a large one.
     */
    static long beginCommitTimeMicros(StoredChange begin) {
        // 'B', int64 final LSN, int64 commit timestamp, int32 xid
        return ByteBuffer.wrap(begin.message()).getLong(9) + POSTGRES_EPOCH_MICROS;
    }

    /** A Commit's end LSN: just past its commit record, what the slot is told is flushed. */
    static long commitEndLsn(StoredChange commit) {
        // 'C', int8 flags, int64 commit LSN, int64 end LSN, int64 timestamp
        return ByteBuffer.wrap(commit.message()).getLong(10);
    }

    /** A Commit's timestamp, in microseconds since the Unix epoch (pgoutput counts from 2000-01-01). */
    static long commitTimeMicros(StoredChange commit) {
        return ByteBuffer.wrap(commit.message()).getLong(18) + POSTGRES_EPOCH_MICROS;
    }

    /** The key of a cached message: its type and the relation's or type's OID. */
    static long cacheKey(StoredChange cached) {
        return (long) cached.type() << 32 | ByteBuffer.wrap(cached.message()).getInt(1) & 0xFFFFFFFFL;
    }
}
