package io.pgcopydb;

import io.pgcopydb.model.ConstraintDefinition;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.TablePart;
import java.time.Duration;

/**
 * Observes a copy. Every method has a no-op default; override what you need.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>Calls arrive <em>concurrently</em> from the engine's worker threads, named after the run
 *       ({@code pgcopydb-<run>-copy-N}, {@code pgcopydb-<run>-index-N}, {@code pgcopydb-<run>-main}, …):
 *       implementations must be thread-safe.</li>
 *   <li>{@link #runStarted} comes first and {@link #runFinished} last, exactly once each, whatever the outcome.
 *       Every step that starts ({@link #phaseStarted}) ends with exactly one {@link #phaseFinished} — it did all
 *       it was asked — or {@link #phaseFailed} — something in it failed, or the run was cancelled during it.</li>
 *   <li>Once the catalog is read, {@link #copyPlanned} lists every unit of work: each table part, index,
 *       constraint and vacuum it lists then gets <em>exactly one ending</em>: {@code *Finished}, {@code *Failed}
 *       or {@code *Skipped} (with its {@link SkipReason}). A unit that started ({@code *Started}) ends with
 *       finished, failed, or skipped {@link SkipReason#CANCELLED CANCELLED} when a cancellation interrupted it; a
 *       unit that never started is announced skipped. {@code tableCopyProgress} only comes between a part's start
 *       and its end. So a progress counter of ended units reaches the planned totals, also when a run resumes
 *       (units of the interrupted run are skipped {@link SkipReason#ALREADY_DONE ALREADY_DONE}).</li>
 *   <li>The events agree with the {@link CopyReport}: a unit finished or skipped {@code ALREADY_DONE} is
 *       {@link Outcome#DONE} there, a failed one {@link Outcome#FAILED}, any other skip {@link Outcome#SKIPPED}.</li>
 *   <li>Listeners must be fast and must not throw. The engine contains a listener that throws: the exception
 *       is logged once at WARN and the copy goes on.</li>
 * </ul>
 */
public interface CopyListener {

    /** A listener that does nothing. */
    CopyListener NONE = new CopyListener() {
    };

    /** The run started; {@code runId} is also in the log's MDC as {@code pgcopydb.run}. */
    default void runStarted(String runId, CopyOptions options) {
    }

    /** The run ended, successfully or not ({@link CopyReport#status()}). */
    default void runFinished(CopyReport report) {
    }

    /**
     * The strategy was chosen, before any other step: {@link Strategy#TEMPLATE} or {@link Strategy#STREAM}, and
     * why (for {@code AUTO} streaming, what kept it from the template, such as other sessions on the source).
     */
    default void strategyChosen(Strategy strategy, String reason) {
    }

    /** A step started. */
    default void phaseStarted(Phase phase) {
    }

    /** A step finished. */
    default void phaseFinished(Phase phase, Duration duration) {
    }

    /** A step failed, or the run was cancelled during it. */
    default void phaseFailed(Phase phase, Throwable error) {
    }

    /**
     * The catalog was read and the work planned: every unit this run will end (finish, fail or skip), and the
     * totals to show progress against. Sent once, after {@link Phase#CATALOG} finished.
     */
    default void copyPlanned(PlannedCopy plan) {
    }

    /**
     * Work on {@code object} was lost with its connection and will be done again, on a new connection, after
     * {@code delay}. Also in {@link CopyReport#retries()}.
     *
     * @param attempt the number of the coming attempt (2 for the first retry)
     */
    default void retrying(String object, int attempt, Duration delay, Throwable error) {
    }

    /** A table part's COPY started. */
    default void tableCopyStarted(TablePart part) {
    }

    /** Running totals of a table part's COPY, at most every few hundred milliseconds. */
    default void tableCopyProgress(TablePart part, long rows, long bytes) {
    }

    /** A table part's COPY committed. */
    default void tableCopyFinished(TablePart part, long rows, long bytes, Duration duration) {
    }

    /** A table part's COPY failed and was rolled back. */
    default void tableCopyFailed(TablePart part, Throwable error) {
    }

    /** A table part was not copied by this run (or was interrupted by a cancellation and rolled back). */
    default void tableCopySkipped(TablePart part, SkipReason reason) {
    }

    /** An index build started. */
    default void indexStarted(IndexDefinition index) {
    }

    /** An index was built. */
    default void indexFinished(IndexDefinition index, Duration duration) {
    }

    /** An index build failed. */
    default void indexFailed(IndexDefinition index, Throwable error) {
    }

    /** An index was not built by this run (or its build was interrupted by a cancellation). */
    default void indexSkipped(IndexDefinition index, SkipReason reason) {
    }

    /** A constraint is being attached. */
    default void constraintStarted(ConstraintDefinition constraint) {
    }

    /** A constraint was attached. */
    default void constraintFinished(ConstraintDefinition constraint, Duration duration) {
    }

    /** Attaching a constraint failed. */
    default void constraintFailed(ConstraintDefinition constraint, Throwable error) {
    }

    /** A constraint was not attached by this run (or attaching it was interrupted by a cancellation). */
    default void constraintSkipped(ConstraintDefinition constraint, SkipReason reason) {
    }

    /** {@code VACUUM ANALYZE} of a table started. */
    default void vacuumStarted(QualifiedName table) {
    }

    /** {@code VACUUM ANALYZE} of a table finished. */
    default void vacuumFinished(QualifiedName table, Duration duration) {
    }

    /** {@code VACUUM ANALYZE} of a table failed. */
    default void vacuumFailed(QualifiedName table, Throwable error) {
    }

    /** A table was not vacuumed by this run (or its vacuum was interrupted by a cancellation). */
    default void vacuumSkipped(QualifiedName table, SkipReason reason) {
    }

    /** Sequence values are being set on the target. */
    default void sequencesStarted(int count) {
    }

    /** Sequence values were set. */
    default void sequencesFinished(int count, Duration duration) {
    }

    /** Setting sequence values failed. */
    default void sequencesFailed(Throwable error) {
    }

    /** Large objects are being copied. */
    default void largeObjectsStarted(long count) {
    }

    /** Large objects were copied. */
    default void largeObjectsFinished(long count, long bytes, Duration duration) {
    }

    /** Copying large objects failed. */
    default void largeObjectsFailed(Throwable error) {
    }
}
