package io.pgcopydb.internal.data;

import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyOptions;
import io.pgcopydb.Phase;
import io.pgcopydb.SkipReason;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.run.ReportCollector;
import io.pgcopydb.internal.run.Retrier;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.internal.state.JournalEntry.PartCopied;
import io.pgcopydb.internal.state.JournalEntry.TableTruncated;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.stage.CopyStreamer;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The COPY of a table split by pages ({@link TablePart.Split#BY_PAGE}), whose parts are redone together.
 *
 * <p>Once committed, a part's rows cannot be told apart on the target: they sit at other places there, and the
 * table has no key a predicate could find them by. The story chosen: such a table is redone <em>whole</em> when
 * any of its parts fails or is unfinished. Before its parts start, it is emptied ({@code TRUNCATE ONLY}) and a
 * {@link TableTruncated} line naming its number of parts is journaled; it counts as copied once all those parts are
 * journaled after that line. A resumed run skips it only then, and otherwise empties it and copies every part again:
 * parts journaled before the last truncation never count (run 1 records part 1 and dies; run 2 empties the table,
 * records part 2 and dies; run 3 believes neither). Within a run, when an attempt of a part fails on a lost
 * connection — it may have committed unseen — the table's other parts are let end, the table is emptied and all its
 * parts run again, within the run's retry budget ({@link Retrier#retryAfter}); any other failure fails the table, for
 * a resumed run to redo.
 *
 * <p>Why this rather than marking the rows on the target (a column, a side table) or asking the target whether a
 * lost transaction committed ({@code txid_status}): it works with any {@link CopyStreamer} stage, whose transactions
 * are its own; it puts nothing on the target that the source does not have; and it costs only when a part fails,
 * which is rare — the price of a failure is the table's copy time, once.
 *
 * <p>Events keep the listener's contract: each part starts once and ends once. A part whose attempt committed does
 * not end until its table is settled — it may be redone — and then ends with its last attempt's outcome; a retry is
 * announced once for the table. No thread waits for a queued task: a redo is composed on the end of the round before
 * it. The first part to start empties the table; siblings starting meanwhile wait for that running statement only.
 */
final class SplitTableCopy {
    private static final Logger LOG = LoggerFactory.getLogger(SplitTableCopy.class);

    private final RunContext context;
    private final CopyOptions options;
    private final CopyListener listener;
    private final ReportCollector report;
    private final Journal journal;
    private final Retrier retrier;
    private final BiConsumer<String, Throwable> failure;
    private final SourceTable table;
    private final List<TablePart> parts;
    private final Map<Integer, Long> startedAt = new ConcurrentHashMap<>();
    private volatile long firstStart;
    private Start start;

    /** How the first round begins, decided once by the first part to start. */
    private enum Start {
        /** The journal says every part was copied since the table was last emptied. */
        DONE_EARLIER,
        /** The table was emptied: the parts may run. */
        READY,
        /** The table could not be emptied; that failure is recorded. */
        FAILED
    }

    /** Where one attempt of a part left it. */
    private enum State {
        /** Committed; the part ends when its table is settled. */
        COMMITTED,
        /** Failed on a lost connection, maybe after committing unseen: the table may be redone. */
        LOST,
        /** Ended already, done by an earlier run. */
        DONE,
        /** Ended already, failed or skipped. */
        ENDED
    }

    private record Attempt(TablePart part, State state, CopyStreamer.CopyResult result, Duration took,
            Throwable error) {
        static Attempt ended(TablePart part, boolean done) {
            return new Attempt(part, done ? State.DONE : State.ENDED, null, Duration.ZERO, null);
        }
    }

    /**
     * The copy of {@code parts}, all the parts of one table split by pages, in the data step of {@code context};
     * {@code failure} records a failure in the run (and stops it unless it continues on errors).
     */
    SplitTableCopy(RunContext context, List<TablePart> parts, BiConsumer<String, Throwable> failure) {
        this.context = context;
        this.options = context.options();
        this.listener = context.run().listener();
        this.report = context.run().report();
        this.journal = context.journal();
        this.retrier = context.run().retrier();
        this.failure = failure;
        this.table = parts.get(0).table();
        this.parts = List.copyOf(parts);
    }

    /** Whether {@code parts}, the parts of one table, are split by pages: copied by this class. */
    static boolean appliesTo(List<TablePart> parts) {
        return !parts.isEmpty() && parts.get(0).split() == TablePart.Split.BY_PAGE;
    }

    /**
     * Whether the journal shows every one of {@code parts}, all the parts of one table split by pages, copied since
     * the table was last emptied for that many parts.
     */
    static boolean isComplete(Journal journal, List<TablePart> parts) {
        long oid = parts.get(0).table().oid();
        return journal.truncation(oid).filter(t -> t.parts() == parts.size()).isPresent()
                && parts.stream().allMatch(p -> journal.partCopied(oid, p.number()).isPresent());
    }

    /** Copies the table's parts on {@code pool}; completes with whether all of them are on the target. */
    CompletableFuture<Boolean> copy(Executor pool) {
        return round(1, pool);
    }

    private CompletableFuture<Boolean> round(int attempt, Executor pool) {
        List<CompletableFuture<Attempt>> attempts = parts.stream().map(p -> CompletableFuture.supplyAsync(
                () -> attempt == 1 ? first(p) : copy(p), pool)).toList();
        return CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new))
                .thenCompose(v -> settle(attempts.stream().map(CompletableFuture::join).toList(), attempt, pool));
    }

    /** The first attempt of {@code part}: skipped when the run stops or the journal has the table, else copied. */
    private Attempt first(TablePart part) {
        if (context.isStopping()) {
            listener.tableCopySkipped(part, stopped());
            return Attempt.ended(part, false);
        }
        Start s = begin(part);
        if (s == Start.DONE_EARLIER) {
            journal.partCopied(table.oid(), part.number()).ifPresent(e -> report.partCopied(table, e.rows(),
                    e.bytes(), Duration.ZERO));
            LOG.debug("COPY {} was done by the interrupted run, skipped", part);
            listener.tableCopySkipped(part, SkipReason.ALREADY_DONE);
            return Attempt.ended(part, true);
        }
        if (s == Start.FAILED) {
            if (!startedAt.containsKey(part.number())) {
                listener.tableCopySkipped(part, notDone());
            }
            return Attempt.ended(part, false);
        }
        startedAt.put(part.number(), System.nanoTime());
        listener.tableCopyStarted(part);
        return copy(part);
    }

    /** Decides, once, how the table begins: skipped as done, or emptied first by {@code part}. */
    private synchronized Start begin(TablePart part) {
        if (start == null) {
            start = isComplete(journal, parts) ? Start.DONE_EARLIER : emptyFirst(part);
        }
        return start;
    }

    /** Empties the table before its first round; when that fails, {@code part} (the first) ends failed with it. */
    private Start emptyFirst(TablePart part) {
        firstStart = System.nanoTime();
        try {
            empty();
            return Start.READY;
        } catch (Throwable e) {
            startedAt.put(part.number(), firstStart);
            listener.tableCopyStarted(part);
            failed(part, e);
            return Start.FAILED;
        }
    }

    /** Empties the table (a lost connection retried: TRUNCATE twice is harmless) and journals it. */
    private void empty() throws Exception {
        String sql = "TRUNCATE ONLY " + table.name().quoted();
        retrier.call(Phase.COPY_DATA, "TRUNCATE " + table.name(), attempt -> {
            try (Connection target = context.openTarget()) {
                LOG.debug("{};", sql);
                Sessions.execute(target, sql);
            }
            return null;
        });
        journal.record(new TableTruncated(table.oid(), parts.size(), table.name().toString()));
    }

    /** One attempt of {@code part}; a failure other than a lost connection ends the part at once. */
    private Attempt copy(TablePart part) {
        try {
            CopyStreamer.CopyResult r = options.copyStreamer().copy(part, context,
                    (rows, bytes) -> listener.tableCopyProgress(part, rows, bytes));
            journal.record(new PartCopied(table.oid(), part.number(), r.rows(), r.bytes()));
            return new Attempt(part, State.COMMITTED, r, Duration.ofNanos(System.nanoTime()
                    - startedAt.get(part.number())), null);
        } catch (Throwable e) {
            if (e instanceof Exception && Errors.isConnectionLoss(e) && !context.isStopping()) {
                LOG.debug("COPY {} lost its connection: {}", part, Errors.message(e));
                return new Attempt(part, State.LOST, null, Duration.ZERO, e);
            }
            failed(part, e);
            return Attempt.ended(part, false);
        }
    }

    /**
     * Once every part of a round ended: redoes the table when a part lost its connection and nothing else failed,
     * within the retry budget; else ends the parts still open.
     */
    private CompletableFuture<Boolean> settle(List<Attempt> attempts, int attempt, Executor pool) {
        List<Attempt> lost = attempts.stream().filter(a -> a.state() == State.LOST).toList();
        if (lost.isEmpty() || attempts.stream().anyMatch(a -> a.state() == State.ENDED)) {
            return CompletableFuture.completedFuture(end(attempts, null));
        }
        Duration delay;
        try {
            delay = retrier.retryAfter(Phase.COPY_DATA, table.name().toString(), attempt, firstStart,
                    (Exception) lost.get(0).error());
        } catch (Exception verdict) {
            // The budget ran out (or the run stops): say so rather than the last lost connection alone.
            return CompletableFuture.completedFuture(end(attempts, verdict == lost.get(0).error() ? null : verdict));
        }
        LOG.info("{}: a part lost its connection and may have committed unseen: the table is emptied and its {} "
                + "parts are copied again", table.name(), parts.size());
        return CompletableFuture.supplyAsync(() -> emptyAgain(attempts, delay), pool).thenCompose(settled -> settled
                .map(CompletableFuture::completedFuture).orElseGet(() -> round(attempt + 1, pool)));
    }

    /**
     * Waits {@code delay}, then empties the table for another round; when the run stops meanwhile or the table
     * cannot be emptied, ends the round's parts instead and returns the table's outcome.
     */
    private Optional<Boolean> emptyAgain(List<Attempt> attempts, Duration delay) {
        if (!context.run().control().pause(delay)) {
            return Optional.of(end(attempts, null));
        }
        try {
            empty();
            return Optional.empty();
        } catch (Throwable e) {
            return Optional.of(end(attempts, e));
        }
    }

    /**
     * Ends the parts a round left open: committed ones finish, lost ones fail (with {@code lostError} when given,
     * what ended the retries). Returns whether every part is on the target.
     */
    private boolean end(List<Attempt> attempts, Throwable lostError) {
        boolean ok = true;
        for (Attempt a : attempts) {
            switch (a.state()) {
                case COMMITTED -> {
                    report.partCopied(table, a.result().rows(), a.result().bytes(), a.took());
                    listener.tableCopyFinished(a.part(), a.result().rows(), a.result().bytes(), a.took());
                }
                case LOST -> {
                    failed(a.part(), lostError == null ? a.error() : lostError);
                    ok = false;
                }
                case ENDED -> ok = false;
                case DONE -> {
                }
            }
        }
        return ok;
    }

    /** Ends a started part that failed: skipped when the run was cancelled, else failed in the report. */
    private void failed(TablePart part, Throwable e) {
        if (context.isCancelled()) {
            listener.tableCopySkipped(part, SkipReason.CANCELLED);
        } else {
            report.partFailed(table);
            failure.accept("COPY " + part, e);
            listener.tableCopyFailed(part, e);
        }
    }

    private SkipReason stopped() {
        return context.isCancelled() ? SkipReason.CANCELLED : SkipReason.RUN_STOPPED;
    }

    private SkipReason notDone() {
        return context.isStopping() ? stopped() : SkipReason.DEPENDENCY_NOT_DONE;
    }
}
