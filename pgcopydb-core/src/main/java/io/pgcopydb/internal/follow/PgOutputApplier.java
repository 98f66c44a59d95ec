package io.pgcopydb.internal.follow;

import io.pgcopydb.internal.follow.PgOutputMessage.Begin;
import io.pgcopydb.internal.follow.PgOutputMessage.Commit;
import io.pgcopydb.internal.follow.PgOutputMessage.Delete;
import io.pgcopydb.internal.follow.PgOutputMessage.Insert;
import io.pgcopydb.internal.follow.PgOutputMessage.Relation;
import io.pgcopydb.internal.follow.PgOutputMessage.Truncate;
import io.pgcopydb.internal.follow.PgOutputMessage.Update;
import io.pgcopydb.internal.postgres.Errors;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays pgoutput changes on the target: whole transactions in commit order, each in one target transaction that
 * also advances the replication origin ({@code pg_replication_origin_xact_setup}), so that a restart resumes right
 * after the last applied transaction and never applies one twice.
 *
 * <p>Two ways, by size. A small transaction (at most 64 changes) is held and sent at its
 * commit as one script — its changes, the origin's progress, {@code COMMIT} — in one round trip ({@link
 * ApplyScript}); when the changes are {@link ReadyChanges} and more are at hand (a backlog), several small source
 * transactions, each whole, share one such target transaction (at most 1,000 or 100 ms of them,
 * the progress at the last one's end), since a commit and a round trip each is what bounds a backlog of small
 * transactions. A larger transaction streams through: its changes are sent in bounded runs of one shape ({@link
 * ApplyBatch}: multi-row inserts, batched prepared updates and deletes) inside its own target transaction, so its
 * size is bounded by neither the heap nor the number of rows. Statements are prepared once per table and shape
 * ({@link ApplyStatements}) and built again when the source sends a table's changed relation message. The target session runs with {@code synchronous_commit = off}: a commit lost in a
 * target crash loses its origin progress with it (both are in the one commit record), so the transaction is
 * replayed, and {@link #appliedUpTo()} reports only what is flushed.
 *
 * <p>Not thread-safe: one thread applies.
 */
public final class PgOutputApplier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgOutputApplier.class);
    /** A group of source transactions commits by these at the latest: they bound the lag it adds. */
    private static final int MAX_GROUP = 1_000;
    private static final long MAX_GROUP_NANOS = 100_000_000L;
    /** A group of more changes than this is sent through the prepared batches rather than as one script. */
    private static final int SCRIPT_GROUP = 16;

    private final Connection target;
    private final String originName;
    private final ApplyBatch batch;
    private final ApplyScript script = new ApplyScript();
    private final Map<Integer, Relation> relations = new HashMap<>();
    private final Map<Integer, ApplyStatements> tables = new HashMap<>();
    /** Statements of a table's old shape, closed at the next commit: changes held until then still use them. */
    private final List<ApplyStatements> retired = new ArrayList<>();
    private long applied;
    private long transactions;
    private long rows;
    private long reportedMissing;
    private long scriptMissing;
    /** Whether the open transaction outgrew a script and streams through batches. */
    private boolean streaming;
    /** The last of the whole source transactions held for one target transaction, {@code null} when none. */
    private Commit pending;
    private int grouped;
    private long groupStart;
    private ApplyTable sending;

    /**
     * @param target a session on the target database, owned by the applier from now on (it sets autocommit off
     *        and the session's replication origin)
     * @param originName the replication origin created on the target by the follow's setup
     * @throws ApplyException when the origin does not exist or another session replays it
     */
    public PgOutputApplier(Connection target, String originName) {
        this.target = target;
        this.originName = originName;
        this.batch = new ApplyBatch(target);
        try {
            ApplyOrigin.setUp(target, originName);
            applied = ApplyOrigin.progress(target, originName, false);
        } catch (SQLException e) {
            throw new ApplyException("cannot replay changes as replication origin '" + originName + "' on the target: "
                    + Errors.message(e) + " (create it with pg_replication_origin_create, and run one follow at a"
                    + " time)", e);
        }
    }

    /**
     * The end LSN of the last transaction applied on the target and flushed to its disk (the origin's progress), 0
     * when none: changes of transactions committed at or before it are skipped by {@link #apply}.
     */
    public long appliedUpTo() {
        try {
            return ApplyOrigin.progress(target, originName, true);
        } catch (SQLException e) {
            throw new ApplyException("cannot read replication origin '" + originName + "''s progress on the target: "
                    + Errors.message(e), e);
        }
    }

    /**
     * Applies the transactions {@code changes} yields, in order, until it has no next element or a transaction
     * whose commit end LSN is at or past {@code endpos} has been applied — never stopping inside a transaction.
     * {@code changes.hasNext()} may block while the receiver waits for more. A transaction the changes end inside
     * is rolled back (the next call starts it again from its {@code B}egin). When {@code changes} are {@link
     * ReadyChanges}, small transactions at hand share a target transaction (each whole).
     *
     * @param changes stored pgoutput messages in WAL order, starting at a transaction's {@code B}egin (or earlier
     *        than the origin's progress: already-applied transactions are skipped)
     * @param endpos where to stop, {@code Long.MAX_VALUE} for no end
     * @return the end LSN of the last transaction applied (the origin's progress afterwards)
     * @throws ApplyException when a change cannot be replayed (the transaction is rolled back) or the messages are
     *         not a pgoutput version 1 stream
     */
    public long apply(Iterator<StoredChange> changes, long endpos) {
        ReadyChanges ready = changes instanceof ReadyChanges r ? r : null;
        Begin open = null;
        boolean skipping = false;
        StoredChange change = null;
        sending = null;
        try {
            while (Long.compareUnsigned(applied, endpos) < 0 && changes.hasNext()) {
                change = changes.next();
                PgOutputMessage message = PgOutputDecoder.decode(change.message());
                if (message instanceof Begin b) {
                    if (open != null) {
                        throw new ApplyException("a transaction begins at " + Lsn.format(change.lsn())
                                + " inside transaction " + Integer.toUnsignedString(open.xid())
                                + ": changes are missing");
                    }
                    open = b;
                    // The commit record starts before the progress: this transaction ended at or before it.
                    skipping = Long.compareUnsigned(b.finalLsn(), applied) < 0;
                } else if (message instanceof Commit c) {
                    requireOpen(open, change);
                    open = null;
                    if (!skipping) {
                        committed(c, ready, endpos);
                    }
                } else if (message instanceof Relation r) {
                    relation(r);
                } else if (message instanceof Insert || message instanceof Update || message instanceof Delete
                        || message instanceof Truncate) {
                    requireOpen(open, change);
                    if (!skipping) {
                        change(message);
                    }
                }
                // Type, Origin and Message carry nothing to replay: the target's columns give the types.
            }
            if (open != null) {
                // The changes ended inside a transaction: none of it stays, its Begin comes again.
                if (streaming) {
                    rollback(null);
                } else {
                    script.dropOpen();
                }
            }
            commitGroup();
            // Nothing is left open on the target: not even the catalog reads of a transaction cut short.
            target.rollback();
        } catch (SQLException e) {
            rollback(e);
            throw new ApplyException("could not apply " + where(open, change) + ": " + Errors.message(e)
                    + tableOf(), e);
        } catch (RuntimeException e) {
            rollback(e);
            throw e instanceof ApplyException ? e
                    : new ApplyException("could not apply " + where(open, change) + ": " + e.getMessage(), e);
        }
        return applied;
    }

    /**
     * Transactions applied since the applier started, and row changes replayed (those of a transaction a failure
     * rolled back included).
     */
    public ApplyStatistics statistics() {
        return new ApplyStatistics(transactions, rows, batch.missing() + scriptMissing);
    }

    /** How much the applier did. */
    public record ApplyStatistics(long transactions, long rows, long rowsNotFound) {
    }

    private void relation(Relation r) throws SQLException {
        Relation known = relations.put(r.oid(), r);
        if (known != null && !known.equals(r)) {
            // The source altered the table: what was prepared for its old shape goes.
            send();
            ApplyStatements old = tables.remove(r.oid());
            if (old != null) {
                retired.add(old);
            }
        }
    }

    private ApplyStatements table(int oid) throws SQLException {
        ApplyStatements t = tables.get(oid);
        if (t == null) {
            Relation r = relations.get(oid);
            if (r == null) {
                throw new ApplyException("a change refers to relation " + Integer.toUnsignedString(oid)
                        + " before its relation message: the changes do not start at a transaction's Begin");
            }
            t = new ApplyStatements(ApplyTable.read(target, r));
            tables.put(oid, t);
        }
        return t;
    }

    private void change(PgOutputMessage message) throws SQLException {
        if (message instanceof Truncate t) {
            List<ApplyTable> emptied = new ArrayList<>();
            for (int oid : t.relationOids()) {
                emptied.add(table(oid).table());
            }
            String sql = ApplySql.truncate(emptied, t.cascade(), t.restartIdentity());
            if (streaming || !script.hold(sql)) {
                stream();
                execute(sql);
            }
            return;
        }
        RowChange row = message instanceof Insert i ? RowChange.insert(table(i.relationOid()), i)
                : message instanceof Update u ? RowChange.update(table(u.relationOid()), u)
                : RowChange.delete(table(((Delete) message).relationOid()), (Delete) message);
        rows++;
        if (row == null) {
            return; // an update that changes nothing the target stores
        }
        if (streaming || !script.hold(row)) {
            stream();
            batch(row);
        }
    }

    /** The open transaction is too large for one script: what the script held goes to the batches. */
    private void stream() throws SQLException {
        if (streaming) {
            return;
        }
        // The whole transactions held before it commit first: a target transaction that sent changes holds one
        // source transaction only, so that changes ending inside it roll back that one alone.
        commitGroup();
        streaming = true;
        for (ApplyScript.Held h : script.drainOpen()) {
            if (h.sql() != null) {
                execute(h.sql());
            } else {
                batch(h.row());
            }
        }
    }

    private void batch(RowChange row) throws SQLException {
        if (!batch.accepts(row.statements(), row.kind(), row.shape())) {
            send();
        }
        batch.add(row.statements(), row.kind(), row.shape(), row.sql(), row.values(), row.chars());
        if (batch.full()) {
            send();
        }
    }

    private void execute(String sql) throws SQLException {
        send();
        try (Statement s = target.createStatement()) {
            s.execute(sql);
        }
    }

    private void send() throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        sending = batch.table();
        batch.send();
        if (batch.missing() > reportedMissing) {
            LOG.warn("{} update(s) or delete(s) of {} found no row on the target (it differs from the source there)",
                    batch.missing() - reportedMissing, sending.name());
            reportedMissing = batch.missing();
        }
        sending = null;
    }

    /** A source transaction ended: it commits alone, or joins the group while more are at hand. */
    private void committed(Commit c, ReadyChanges ready, long endpos) throws SQLException {
        if (streaming) {
            // A large transaction, alone in its target transaction: the group before it committed when it began
            // to stream.
            execute(ApplyOrigin.commitTail(c));
            streaming = false;
            applied = c.endLsn();
            transactions++;
            closeRetired();
            return;
        }
        script.mark();
        if (pending == null) {
            groupStart = System.nanoTime();
        }
        pending = c;
        grouped++;
        boolean more = ready != null && ready.ready();
        if (!more || script.groupFull() || grouped >= MAX_GROUP || Long.compareUnsigned(c.endLsn(), endpos) >= 0
                || System.nanoTime() - groupStart > MAX_GROUP_NANOS) {
            commitGroup();
        }
    }

    /**
     * The held transactions, the origin's progress at the last one's end and COMMIT: one round trip for a few
     * changes; a large group goes through the prepared batches, where a run of one shape is one round trip and no
     * statement is parsed again.
     */
    private void commitGroup() throws SQLException {
        if (pending == null) {
            return;
        }
        if (script.marked() > SCRIPT_GROUP) {
            for (ApplyScript.Held h : script.drainMarked()) {
                if (h.sql() != null) {
                    execute(h.sql());
                } else {
                    batch(h.row());
                }
            }
            execute(ApplyOrigin.commitTail(pending));
        } else {
            long missing = script.execute(target, ApplyOrigin.commitTail(pending));
            if (missing > 0) {
                LOG.warn("{} update(s) or delete(s) found no row on the target (it differs from the source there)",
                        missing);
                scriptMissing += missing;
            }
        }
        applied = pending.endLsn();
        transactions += grouped;
        pending = null;
        grouped = 0;
        closeRetired();
    }

    private void closeRetired() {
        retired.forEach(ApplyStatements::close);
        retired.clear();
    }

    private void rollback(Exception cause) {
        // What the batch still holds belongs to the transaction rolled back: it comes again from its Begin.
        batch.clear();
        script.clear();
        streaming = false;
        pending = null;
        grouped = 0;
        try {
            target.rollback();
        } catch (SQLException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }

    private static void requireOpen(Begin open, StoredChange change) {
        if (open == null) {
            throw new ApplyException("a '" + change.type() + "' message at " + Lsn.format(change.lsn())
                    + " comes outside a transaction: the changes must start at a transaction's Begin");
        }
    }

    private String tableOf() {
        return sending == null ? "" : " (table " + sending.name() + ")";
    }

    private static String where(Begin open, StoredChange change) {
        return open == null ? "the change at " + (change == null ? "the start" : Lsn.format(change.lsn()))
                : "transaction " + Integer.toUnsignedString(open.xid()) + " (commit at " + Lsn.format(open.finalLsn())
                + ")";
    }

    @Override
    public void close() {
        tables.values().forEach(ApplyStatements::close);
        tables.clear();
        closeRetired();
        try {
            target.rollback();
            target.close();
        } catch (SQLException e) {
            LOG.debug("closing the applier's target session: {}", Errors.message(e));
        }
    }
}
