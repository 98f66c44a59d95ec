package io.pgcopydb;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one exception a copy throws. It carries the typed {@link #problems()} that stopped the copy (never empty),
 * each with its code, side, object, SQLSTATE, message and remedy; {@link #code()}, {@link #object()} and
 * {@link #sqlState()} are those of the most important one. It also names the step that failed ({@link #phase()})
 * and carries the {@link #partialReport()} of what was done. Its message is one line; messages never contain
 * passwords.
 *
 * <pre>{@code
 * throw PgCopyException.builder(ErrorCode.COPY_FAILED, "copying large object 16402 failed: …")
 *         .phase(Phase.LARGE_OBJECTS).object("large object 16402").sqlState("42501").cause(e).build();
 *
 * throw PgCopyException.builder(ErrorCode.TARGET_NOT_EMPTY, "preflight failed: " + problems)
 *         .problems(problems).phase(Phase.PREFLIGHT).build();
 * }</pre>
 */
public class PgCopyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient List<Problem> problems;
    private final transient Phase phase;
    private final String object;
    private final String sqlState;
    private final transient CopyReport partialReport;

    /** Creates an exception with a code and message only; its one problem has the code's general remedy. */
    public PgCopyException(ErrorCode code, String message) {
        this(builder(code, message));
    }

    private PgCopyException(Builder b) {
        super(b.message, b.cause);
        this.problems = b.problems.isEmpty()
                ? List.of(new Problem(b.code, Optional.empty(), Optional.ofNullable(b.object),
                        Optional.ofNullable(b.sqlState), b.message, generalRemedy(b.code)))
                : List.copyOf(b.problems);
        Problem first = mostImportant(problems);
        this.code = first.code();
        this.phase = b.phase;
        this.object = b.object != null ? b.object : first.object().orElse(null);
        this.sqlState = b.sqlState != null ? b.sqlState : first.sqlState().orElse(null);
        this.partialReport = b.partialReport;
        if (b.origin != null) {
            // A copy of another exception keeps where that one was thrown and what was attached to it.
            setStackTrace(b.origin.getStackTrace());
            for (Throwable s : b.origin.getSuppressed()) {
                addSuppressed(s);
            }
        }
    }

    /**
     * Starts an exception with its code and one-line message; the other details are optional. Problems added with
     * {@link Builder#problem} or {@link Builder#problems} decide the code; without them, the exception has one
     * problem made of {@code code}, the message, and the object and SQLSTATE given to the builder.
     */
    public static Builder builder(ErrorCode code, String message) {
        return new Builder(code, message, null);
    }

    /**
     * Why the copy failed: the code of the most important of the {@link #problems()}. A connection problem outranks
     * every other, then a cancellation or timeout, a lost snapshot, a lost connection; among equals, the first.
     */
    public ErrorCode code() {
        return code;
    }

    /** What stopped the copy, in the order found; never empty, immutable. */
    public List<Problem> problems() {
        return problems;
    }

    /** The step that failed, when known. */
    public Optional<Phase> phase() {
        return Optional.ofNullable(phase);
    }

    /**
     * The object that failed (e.g. {@code public.film}), when there is one: as given to the builder, else that of
     * the most important problem.
     */
    public Optional<String> object() {
        return Optional.ofNullable(object);
    }

    /**
     * The server's SQLSTATE, when the failure came from a server: as given to the builder, else that of the most
     * important problem.
     */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }

    /** What had been done when the run failed, when the run got that far. */
    public Optional<CopyReport> partialReport() {
        return Optional.ofNullable(partialReport);
    }

    /**
     * A builder holding every detail of this exception; what it builds keeps this exception's stack trace,
     * cause and suppressed exceptions.
     */
    public Builder toBuilder() {
        Builder b = new Builder(code, getMessage(), this);
        b.problems.addAll(problems);
        b.phase = phase;
        b.object = object;
        b.sqlState = sqlState;
        b.cause = getCause();
        b.partialReport = partialReport;
        return b;
    }

    /** This exception with the partial report attached (same stack trace, cause and suppressed exceptions). */
    public PgCopyException withReport(CopyReport report) {
        return toBuilder().partialReport(report).build();
    }

    /** Collects the details of a {@link PgCopyException}. Not thread-safe. */
    public static final class Builder {
        private final ErrorCode code;
        private final PgCopyException origin;
        private final List<Problem> problems = new ArrayList<>();
        private String message;
        private Phase phase;
        private String object;
        private String sqlState;
        private Throwable cause;
        private CopyReport partialReport;

        private Builder(ErrorCode code, String message, PgCopyException origin) {
            this.code = Objects.requireNonNull(code, "code");
            this.message = Objects.requireNonNull(message, "message");
            this.origin = origin;
        }

        /** Replaces the message. */
        public Builder message(String message) {
            this.message = Objects.requireNonNull(message, "message");
            return this;
        }

        /** Adds a problem (after those added before). */
        public Builder problem(Problem problem) {
            problems.add(Objects.requireNonNull(problem, "problem"));
            return this;
        }

        /** Adds problems, in order (after those added before). */
        public Builder problems(List<Problem> problems) {
            problems.forEach(this::problem);
            return this;
        }

        /** Replaces every problem added so far, those of {@link #toBuilder()}'s exception included. */
        public Builder replaceProblems(List<Problem> problems) {
            this.problems.clear();
            return problems(problems);
        }

        /** The step that failed. */
        public Builder phase(Phase phase) {
            this.phase = phase;
            return this;
        }

        /** The object that failed (e.g. {@code public.film}, {@code index public.film_pkey}). */
        public Builder object(String object) {
            this.object = object;
            return this;
        }

        /** The server's SQLSTATE. */
        public Builder sqlState(String sqlState) {
            this.sqlState = sqlState;
            return this;
        }

        /** The exception that caused it. */
        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        /** What had been done when the run failed. */
        public Builder partialReport(CopyReport partialReport) {
            this.partialReport = partialReport;
            return this;
        }

        /** The exception. */
        public PgCopyException build() {
            return new PgCopyException(this);
        }
    }

    /** The first problem of the highest rank: connection problems, then cancellation, snapshot and connection loss. */
    private static Problem mostImportant(List<Problem> problems) {
        Problem best = problems.get(0);
        for (Problem p : problems) {
            if (rank(p.code()) > rank(best.code())) {
                best = p;
            }
        }
        return best;
    }

    private static int rank(ErrorCode code) {
        return switch (code.category()) {
            case CONNECTION -> 4;
            case CANCELLED -> 3;
            default -> code == ErrorCode.SNAPSHOT_LOST ? 2 : code == ErrorCode.CONNECTION_LOST ? 1 : 0;
        };
    }

    /** The remedy of a problem made from a code and message only. */
    static String generalRemedy(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> "correct the option or argument the message names";
            case DUMP_FAILED -> "fix what pg_dump reported, then run the copy again";
            case RESTORE_FAILED -> "fix what pg_restore reported, then run the copy again";
            case COPY_FAILED -> "fix what the message names, then run the copy again";
            case CONNECTION_LOST -> "check that both servers are up and reachable, then run the copy again";
            case SNAPSHOT_LOST -> "finish the copy with resume() and notConsistent()";
            case CANCELLED -> "run the copy again";
            case TIMED_OUT -> "run the copy again with a longer timeout(d)";
            case INTERNAL -> "this is a bug: report it with the log and the stack trace";
            default -> switch (code.category()) {
                case CONNECTION -> "check the connection string, and that the server is running and admits this "
                        + "user";
                default -> "see the message; nothing was written to the target";
            };
        };
    }
}
