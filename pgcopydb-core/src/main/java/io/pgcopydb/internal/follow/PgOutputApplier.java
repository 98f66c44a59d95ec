package io.pgcopydb.internal.follow;

import java.sql.Connection;
import java.util.Iterator;

/**
 * Replays pgoutput changes on the target: whole transactions in commit order, each in one target transaction that
 * also advances the replication origin ({@code pg_replication_origin_xact_setup}), so that a restart resumes right
 * after the last applied transaction and never applies one twice.
 *
 * <p>Being built (issue 18): this class fixes the contract between the receiver and the applier; its body comes
 * with the applier's branch. Until then constructing it fails loudly.
 */
public final class PgOutputApplier implements AutoCloseable {

    /**
     * @param target a session on the target database, owned by the applier from now on (it sets autocommit off
     *        and the session's replication origin)
     * @param originName the replication origin created on the target by the follow's setup
     */
    public PgOutputApplier(Connection target, String originName) {
        throw new UnsupportedOperationException("the change applier is not built yet (issue 18)");
    }

    /**
     * The end LSN of the last transaction applied on the target (the origin's progress), 0 when none: changes of
     * transactions committed at or before it are skipped by {@link #apply}.
     */
    public long appliedUpTo() {
        throw new UnsupportedOperationException("the change applier is not built yet (issue 18)");
    }

    /**
     * Applies the transactions {@code changes} yields, in order, until it has no next element or a transaction
     * whose commit end LSN is at or past {@code endpos} has been applied — never stopping inside a transaction.
     * {@code changes.hasNext()} may block while the receiver waits for more.
     *
     * @param changes stored pgoutput messages in WAL order, starting at a transaction's {@code B}egin (or earlier
     *        than the origin's progress: already-applied transactions are skipped)
     * @param endpos where to stop, {@code Long.MAX_VALUE} for no end
     * @return the end LSN of the last transaction applied (the origin's progress afterwards)
     */
    public long apply(Iterator<StoredChange> changes, long endpos) {
        throw new UnsupportedOperationException("the change applier is not built yet (issue 18)");
    }

    @Override
    public void close() {
    }
}
