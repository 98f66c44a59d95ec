package io.pgcopydb.internal.compare;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Problem;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.ConnectionFailures;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.run.RunThreads;
import io.pgcopydb.model.Side;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;

/**
 * One side of a data comparison, read at one instant: a session holding a snapshot (exported, or the caller's
 * imported), and {@code jobs} worker sessions importing it, each lent to one query at a time on the side's pool of
 * {@code jobs} threads. So every table, part and key range of a side is read in the same snapshot, and a table's
 * source and target figures are computed at the same time on the two sides' pools.
 *
 * <p>Every session is a read-only REPEATABLE READ transaction ({@link Sessions#openSource}, which pins every
 * setting that changes how a value prints: {@code DateStyle}, {@code IntervalStyle}, {@code TimeZone},
 * {@code extra_float_digits}, {@code bytea_output}, {@code lc_monetary}, {@code search_path}), so a row prints the
 * same text on both sides whatever the servers' defaults. Closing rolls back and closes every
 * session and stops the pool. The methods may be called from any thread.
 */
final class DataSide implements AutoCloseable {
    private static final long CLOSE_BOUND_SECONDS = 10;

    private final Side side;
    private final Connection holder;
    private final List<Connection> workers;
    private final BlockingQueue<Connection> idle;
    private final ExecutorService pool;

    /** A query run on one of the side's sessions. */
    @FunctionalInterface
    interface Query<T> {
        /** Runs on {@code c}, which the caller must neither close nor end the transaction of. */
        T run(Connection c) throws SQLException, InterruptedException;
    }

    private DataSide(Side side, Connection holder, List<Connection> workers, ExecutorService pool) {
        this.side = side;
        this.holder = holder;
        this.workers = workers;
        this.idle = new ArrayBlockingQueue<>(workers.size(), false, workers);
        this.pool = pool;
    }

    /**
     * Opens the side: the snapshot holder ({@code snapshot} imported if given, else a new one exported), then
     * {@code jobs} workers importing its snapshot.
     *
     * @throws PgCopyException with a connection code when the server cannot be reached or logged in to
     */
    static DataSide open(Side side, ConnectionSpec spec, Optional<String> snapshot, int jobs, RunThreads threads) {
        List<Connection> opened = new ArrayList<>();
        try {
            Connection holder = Sessions.openSource(spec, snapshot);
            opened.add(holder);
            String id = snapshot.isPresent() ? snapshot.get() : exportSnapshot(holder);
            List<Connection> workers = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                Connection w = Sessions.openSource(spec, Optional.of(id));
                opened.add(w);
                workers.add(w);
            }
            return new DataSide(side, holder, workers, threads.pool(side.label(), jobs));
        } catch (SQLException | RuntimeException e) {
            opened.forEach(c -> Sessions.closeQuietly(c, e));
            if (e instanceof SQLException sql && Errors.isConnectionError(sql)) {
                Problem problem = ConnectionFailures.problem(side, spec, sql);
                throw PgCopyException.builder(problem.code(), problem.toString()).problem(problem).cause(e).build();
            }
            throw failure(side, "the snapshot", e);
        }
    }

    private static String exportSnapshot(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Which side this is. */
    Side side() {
        return side;
    }

    /**
     * Runs {@code query} on the snapshot holder's session, on the calling thread: catalog reads and sequences,
     * which are quick. Not to be called while another thread uses the holder.
     *
     * @throws PgCopyException naming {@code what} and the side when the query fails
     */
    <T> T onHolder(String what, Query<T> query) {
        try {
            return query.run(holder);
        } catch (SQLException | InterruptedException e) {
            throw failure(side, what, e);
        }
    }

    /**
     * Runs {@code query} on the side's pool, on a worker session of the snapshot.
     *
     * @return the query's result; completing with a {@link PgCopyException} naming {@code what} and the side when
     *     the query fails
     */
    <T> CompletableFuture<T> submit(String what, Query<T> query) {
        return CompletableFuture.supplyAsync(() -> {
            Connection c;
            try {
                c = idle.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(side, what, e);
            }
            try {
                return query.run(c);
            } catch (SQLException | InterruptedException e) {
                throw failure(side, what, e);
            } finally {
                idle.add(c);
            }
        }, pool);
    }

    /** A failed read of {@code what} on {@code side}, typed as a lost connection or snapshot when it is one. */
    static PgCopyException failure(Side side, String what, Exception e) {
        if (e instanceof PgCopyException p) {
            return p;
        }
        if (e instanceof InterruptedException) {
            return PgCopyException.builder(ErrorCode.CANCELLED, "the comparison was interrupted while reading "
                    + what + " on the " + side.label()).cause(e).build();
        }
        return PgCopyException.builder(Errors.runCode(e, ErrorCode.INTERNAL), "cannot read " + what + " on the "
                + side.label() + ": " + Errors.message(e)).object(what).sqlState(Errors.sqlState(e).orElse(null))
                .cause(e).build();
    }

    /**
     * Stops the pool, cancelling the queries still running (after a failure elsewhere), and ends every session.
     * Idempotent.
     */
    @Override
    public void close() {
        pool.shutdownNow();
        for (Connection c : workers) {
            if (!idle.contains(c)) {
                cancel(c);
            }
        }
        try {
            pool.awaitTermination(CLOSE_BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : workers) {
            rollbackAndClose(c);
        }
        rollbackAndClose(holder);
    }

    private static void cancel(Connection c) {
        try {
            c.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException e) {
            // Closing the session below ends the query anyway.
        }
    }

    private static void rollbackAndClose(Connection c) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            // A broken session: closing it is all that is left to do.
        }
        Sessions.closeQuietly(c, null);
    }
}
