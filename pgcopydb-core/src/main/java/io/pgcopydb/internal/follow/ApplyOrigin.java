package io.pgcopydb.internal.follow;

import io.pgcopydb.internal.follow.PgOutputMessage.Commit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/** The applier's session and its replication origin: set up once, progress read, advanced with each commit. */
final class ApplyOrigin {
    private static final long EPOCH_2000_SECONDS = 946_684_800L;

    private ApplyOrigin() {
    }

    /**
     * The session replays as {@code origin}, commits asynchronously (a commit lost in a target crash loses its
     * origin progress with it, so the transaction is replayed) and writes literals as standard-conforming strings.
     * Leaves autocommit off.
     */
    static void setUp(Connection target, String origin) throws SQLException {
        target.setAutoCommit(true);
        try (Statement s = target.createStatement()) {
            s.execute("SET synchronous_commit = off; SET standard_conforming_strings = on");
        }
        // A follower killed a moment ago leaves its backend holding the origin until the server notices.
        WhileInUse.call(target, "pg_catalog.pg_replication_origin_session_setup", origin);
        target.setAutoCommit(false);
    }

    /** The origin's progress, 0 when none; {@code flushed}: only what the target's WAL holds on disk. */
    static long progress(Connection target, String origin, boolean flushed) throws SQLException {
        try (PreparedStatement s = target.prepareStatement(
                "SELECT pg_catalog.pg_replication_origin_progress(?, ?)::text")) {
            s.setString(1, origin);
            s.setBoolean(2, flushed);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                String lsn = r.getString(1);
                return lsn == null ? 0 : Lsn.parse(lsn);
            }
        } finally {
            target.commit();
        }
    }

    /**
     * The end of a target transaction applying up to {@code c}: the origin's progress, then {@code COMMIT}. The
     * transaction is given an id: one without (it wrote nothing — the source's changes were no-ops here) commits
     * without a commit record, and the origin's progress travels only in a commit record.
     */
    static String commitTail(Commit c) {
        return "SELECT pg_catalog.pg_replication_origin_xact_setup('" + Lsn.format(c.endLsn()) + "', '"
                + commitTime(c.commitTime()) + "'), pg_catalog.txid_current(); COMMIT";
    }

    /** pgoutput's commit time (microseconds since 2000-01-01 UTC) as ISO text, which timestamptz reads. */
    static String commitTime(long micros) {
        Instant t = Instant.ofEpochSecond(EPOCH_2000_SECONDS + Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000L);
        return t.toString();
    }
}
