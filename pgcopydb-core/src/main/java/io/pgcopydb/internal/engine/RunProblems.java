package io.pgcopydb.internal.engine;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.Failure;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.Problem;
import io.pgcopydb.Versions;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.Difference;
import io.pgcopydb.internal.postgres.ConnectionFailures;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.run.RunControl;
import io.pgcopydb.model.Side;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The typed problems of a run that failed once it started: a step's exception mapped to its fine code, the
 * report's failures one problem each, a cancellation or timeout, a lost snapshot. Remedies are settled when the
 * run ends ({@link #settle}), once it is known whether the work directory can be resumed.
 */
final class RunProblems {
    /** What to do next when the work directory keeps nothing to resume. */
    static final String RUN_AGAIN = "run the copy again";

    private RunProblems() {
    }

    /** The problem of step {@code phase} failing with {@code e}, whose one-line message is {@code message}. */
    static Problem step(Phase phase, Exception e, String message) {
        ErrorCode code = code(phase, e);
        Problem p = Problem.of(code, phase.description() + " failed: " + message, remedy(code, RUN_AGAIN))
                .withSqlState(Errors.sqlState(e).orElse(null));
        Optional<Side> side = switch (code) {
            case DUMP_FAILED -> Optional.of(Side.SOURCE);
            case RESTORE_FAILED -> Optional.of(Side.TARGET);
            default -> phase == Phase.CATALOG ? Optional.of(Side.SOURCE) : Optional.empty();
        };
        return side.map(p::withSide).orElse(p);
    }

    /** The code of step {@code phase} failing with {@code e}. */
    static ErrorCode code(Phase phase, Exception e) {
        ErrorCode runCode = Errors.runCode(e, ErrorCode.COPY_FAILED);
        if (runCode != ErrorCode.COPY_FAILED) {
            return runCode;
        }
        if (Errors.isConnectionError(e)) {
            // Refused a new connection mid-run: the password changed, the database was dropped, …
            return ConnectionFailures.code(firstSqlException(e));
        }
        return switch (phase) {
            case DUMP_SCHEMA -> ErrorCode.DUMP_FAILED;
            case PREPARE_SCHEMA, FINALIZE_SCHEMA -> ErrorCode.RESTORE_FAILED;
            case PREFLIGHT -> ErrorCode.INTERNAL;
            // The catalog step talks to the source; what fails there without a database error (a replaced
            // planner's bad plan, say) is a bug, as it was when planning ran outside the step.
            case CATALOG -> firstSqlException(e) != null ? ErrorCode.COPY_FAILED : ErrorCode.INTERNAL;
            default -> ErrorCode.COPY_FAILED;
        };
    }

    /**
     * One problem per failure of the report ({@link ErrorCode#CONNECTION_LOST} for a connection that stayed lost,
     * else {@link ErrorCode#COPY_FAILED}), each with its object and SQLSTATE; first, when the run lost its
     * snapshot, a {@link ErrorCode#SNAPSHOT_LOST} problem.
     */
    static List<Problem> failures(List<Failure> failures, RunControl control) {
        List<Problem> problems = new ArrayList<>();
        control.lostSnapshot().ifPresent(id -> problems.add(Problem.of(ErrorCode.SNAPSHOT_LOST, "the exported "
                + "snapshot " + id + " is gone: the source session holding it was lost, so this run cannot go on "
                + "consistently", remedy(ErrorCode.SNAPSHOT_LOST, RUN_AGAIN)).withSide(Side.SOURCE)));
        for (Failure f : failures) {
            ErrorCode code = f.sqlState().filter(Errors::isConnectionLoss).isPresent() ? ErrorCode.CONNECTION_LOST
                    : ErrorCode.COPY_FAILED;
            problems.add(Problem.of(code, f.object() + ": " + f.message(), remedy(code, RUN_AGAIN))
                    .withObject(f.object()).withSqlState(f.sqlState().orElse(null)));
        }
        return problems;
    }

    /** How many differences a {@code verify()} failure lists as problems; the report has them all. */
    static final int VERIFY_PROBLEMS = 20;

    /**
     * The failure of a {@code verify()} that found differences: one {@link ErrorCode#VERIFY_FAILED} problem per
     * difference (the first {@value #VERIFY_PROBLEMS}; all are in the report's verification), each naming the
     * object and the side it is missing from or differs on.
     */
    static PgCopyException verifyFailed(CompareReport comparison) {
        List<Problem> problems = new ArrayList<>();
        for (Difference d : comparison.differences().subList(0, Math.min(VERIFY_PROBLEMS,
                comparison.differences().size()))) {
            Problem p = Problem.of(ErrorCode.VERIFY_FAILED, d.toString(), remedy(ErrorCode.VERIFY_FAILED, RUN_AGAIN))
                    .withObject(d.object());
            problems.add(d.extraOnTarget() || d.missingOnTarget() ? p.withSide(Side.TARGET) : p);
        }
        return PgCopyException.builder(ErrorCode.VERIFY_FAILED, "verify failed: " + comparison.summaryLine())
                .problems(problems).phase(Phase.VERIFY).build();
    }

    /** The problem of a cancelled run: {@link ErrorCode#CANCELLED} or {@link ErrorCode#TIMED_OUT}. */
    static Problem cancelled(RunControl control) {
        ErrorCode code = control.cancelCode();
        return Problem.of(code, control.cancelReason(), remedy(code, RUN_AGAIN));
    }

    /** The exception of a cancelled run, in step {@code phase}. */
    static PgCopyException cancellation(RunControl control, Phase phase, Exception cause) {
        Problem p = cancelled(control);
        return PgCopyException.builder(p.code(), control.cancelReason()).problem(p).phase(phase).cause(cause).build();
    }

    /**
     * The run's failure with {@code hint} appended to its message, and the remedies of its run-time problems
     * saying what to do {@code next}: continue with {@code resume()}, or run the copy again.
     */
    static PgCopyException settle(PgCopyException e, String hint, String next) {
        return settle(e, hint, next, Optional.empty());
    }

    /**
     * As {@link #settle(PgCopyException, String, String)}; in a downgrade ({@code versions} says the target's
     * major version is older), a failed restore or object says the downgrade is the likely cause, in the message
     * and in each such problem's remedy.
     */
    static PgCopyException settle(PgCopyException e, String hint, String next, Optional<Versions> versions) {
        Optional<Versions> downgrade = versions.filter(Versions::downgrade);
        boolean blamed = downgrade.isPresent() && e.problems().stream().anyMatch(RunProblems::downgradeMayCause);
        List<Problem> problems = e.problems().stream().map(p -> switch (p.code().category()) {
            case RUN, CANCELLED -> {
                Problem settled = p.withRemedy(remedy(p.code(), next));
                yield blamed && downgradeMayCause(p) ? settled.withRemedy(downgradeRemedy(downgrade.get(), next))
                        : settled;
            }
            default -> p;
        }).toList();
        String message = blamed ? e.getMessage() + " (" + downgradeNote(downgrade.get()) + ")" : e.getMessage();
        return e.toBuilder().message(message + hint).replaceProblems(problems).build();
    }

    private static boolean downgradeMayCause(Problem p) {
        return p.code() == ErrorCode.RESTORE_FAILED || p.code() == ErrorCode.COPY_FAILED;
    }

    /** Why a failed restore in a downgrade is likely the downgrade's doing. */
    static String downgradeNote(Versions v) {
        return "likely caused by the downgrade from PostgreSQL " + v.sourceMajor() + " to " + v.targetMajor()
                + ": pg_dump writes for its own version, and the source uses something PostgreSQL " + v.targetMajor()
                + " cannot hold";
    }

    private static String downgradeRemedy(Versions v, String next) {
        return "change or leave out on the source what PostgreSQL " + v.targetMajor() + " cannot hold (named by "
                + "the failure), or copy into PostgreSQL " + v.sourceMajor() + " or newer, then " + next;
    }

    /** What to do about a run-time problem of {@code code}, then {@code next}. */
    static String remedy(ErrorCode code, String next) {
        return switch (code) {
            case DUMP_FAILED -> "fix what pg_dump reported, then " + next;
            case RESTORE_FAILED -> "fix what pg_restore reported, then " + next;
            case CONNECTION_LOST -> "check that both servers are up and reachable, then " + next;
            case SNAPSHOT_LOST -> next.equals(RUN_AGAIN) ? "run the copy again, or copy with notConsistent()" : next;
            case CANCELLED -> next;
            case TIMED_OUT -> next + ", with a longer timeout(d) if needed";
            case INTERNAL -> "this is a bug: report it with the log and the stack trace";
            case VERIFY_FAILED -> "check whether the source changed during the copy (notConsistent()), then copy "
                    + "again with dropIfExists()";
            default -> "fix what the message names, then " + next;
        };
    }

    private static SQLException firstSqlException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException e) {
                return e;
            }
        }
        return null;
    }
}
