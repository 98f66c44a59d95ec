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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
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
 * <p>A transaction streams through: its changes are sent in bounded runs of one shape ({@link ApplyBatch}) inside
 * the one target transaction, so its size is bounded by neither the heap nor the number of rows. Statements are
 * prepared once per table and shape ({@link ApplyStatements}) and built again when the source sends a table's
 * changed relation message. The target session runs with {@code synchronous_commit = off}: a commit lost in a
 * target crash loses its origin progress with it (both are in the one commit record), so the transaction is
 * replayed, and {@link #appliedUpTo()} reports only what is flushed.
 *
 * <p>Not thread-safe: one thread applies.
 */
public final class PgOutputApplier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgOutputApplier.class);
    private static final long EPOCH_2000_SECONDS = 946_684_800L;

    private final Connection target;
    private final String originName;
    private final ApplyBatch batch;
    private final ApplyScript script = new ApplyScript();
    private final Map<Integer, Relation> relations = new HashMap<>();
    private final Map<Integer, ApplyStatements> tables = new HashMap<>();
    private long applied;
    private long transactions;
    private long rows;
    private long reportedMissing;
    private long scriptMissing;
    /** Whether the open transaction outgrew a script and streams through batches. */
    private boolean streaming;
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
            target.setAutoCommit(true);
            try (Statement s = target.createStatement()) {
                // Literals in scripts are written for standard-conforming strings; pin it.
                s.execute("SET synchronous_commit = off; SET standard_conforming_strings = on");
            }
            try (PreparedStatement s = target.prepareStatement(
                    "SELECT pg_catalog.pg_replication_origin_session_setup(?)")) {
                s.setString(1, originName);
                s.execute();
            }
            target.setAutoCommit(false);
            applied = progress(false);
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
            return progress(true);
        } catch (SQLException e) {
            throw new ApplyException("cannot read replication origin '" + originName + "''s progress on the target: "
                    + Errors.message(e), e);
        }
    }

    /**
     * Applies the transactions {@code changes} yields, in order, until it has no next element or a transaction
     * whose commit end LSN is at or past {@code endpos} has been applied — never stopping inside a transaction.
     * {@code changes.hasNext()} may block while the receiver waits for more. A transaction the changes end inside
     * is rolled back (the next call starts it again from its {@code B}egin).
     *
     * @param changes stored pgoutput messages in WAL order, starting at a transaction's {@code B}egin (or earlier
     *        than the origin's progress: already-applied transactions are skipped)
     * @param endpos where to stop, {@code Long.MAX_VALUE} for no end
     * @return the end LSN of the last transaction applied (the origin's progress afterwards)
     * @throws ApplyException when a change cannot be replayed (the transaction is rolled back) or the messages are
     *         not a pgoutput version 1 stream
     */
    public long apply(Iterator<StoredChange> changes, long endpos) {
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
                    streaming = false;
                    // The commit record starts before the progress: this transaction ended at or before it.
                    skipping = Long.compareUnsigned(b.finalLsn(), applied) < 0;
                } else if (message instanceof Commit c) {
                    requireOpen(open, change);
                    if (!skipping) {
                        commit(c);
                    }
                    open = null;
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
        } catch (SQLException e) {
            rollback(e);
            throw new ApplyException("could not apply " + where(open, change) + ": " + Errors.message(e)
                    + tableOf(), e);
        } catch (RuntimeException e) {
            rollback(e);
            throw e instanceof ApplyException ? e
                    : new ApplyException("could not apply " + where(open, change) + ": " + e.getMessage(), e);
        }
        if (open != null) {
            // The changes ended inside a transaction: none of it stays, its Begin comes again.
            rollback(null);
        }
        return applied;
    }

    /** Transactions and row changes applied since the applier started. */
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
                old.close();
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
        streaming = true;
        for (ApplyScript.Held h : script.drain()) {
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

    private void commit(Commit c) throws SQLException {
        // The origin's progress commits with the changes, in the same round trip as the commit.
        String tail = "SELECT pg_catalog.pg_replication_origin_xact_setup('" + Lsn.format(c.endLsn()) + "', '"
                + commitTime(c.commitTime()) + "'); COMMIT";
        if (streaming) {
            execute(tail);
        } else {
            long missing = script.execute(target, tail);
            if (missing > 0) {
                LOG.warn("{} update(s) or delete(s) found no row on the target (it differs from the source there)",
                        missing);
                scriptMissing += missing;
            }
        }
        applied = c.endLsn();
        transactions++;
    }

    private long progress(boolean flushed) throws SQLException {
        try (PreparedStatement s = target.prepareStatement(
                "SELECT pg_catalog.pg_replication_origin_progress(?, ?)::text")) {
            s.setString(1, originName);
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

    private void rollback(Exception cause) {
        // What the batch still holds belongs to the transaction rolled back: it comes again from its Begin.
        batch.clear();
        script.clear();
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

    private static String commitTime(long micros) {
        Instant t = Instant.ofEpochSecond(EPOCH_2000_SECONDS + Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000L);
        return t.toString();
    }

    @Override
    public void close() {
        for (ApplyStatements t : tables.values()) {
            t.close();
        }
        tables.clear();
        try {
            target.rollback();
            target.close();
        } catch (SQLException e) {
            LOG.debug("closing the applier's target session: {}", Errors.message(e));
        }
    }
}
