package io.pgcopydb;

import java.util.Objects;
import java.util.Optional;

/**
 * The one exception a copy throws. It names what failed ({@link #code()}, {@link #phase()}, {@link #object()}),
 * the server's {@link #sqlState()} when there is one, and carries the {@link #partialReport()} of what was done.
 * Messages never contain passwords.
 *
 * <pre>{@code
 * throw PgCopyException.builder(ErrorCode.COPY_FAILED, "copying large object 16402 failed: …")
 *         .phase(Phase.LARGE_OBJECTS).object("large object 16402").sqlState("42501").cause(e).build();
 * }</pre>
 */
public class PgCopyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Phase phase;
    private final String object;
    private final String sqlState;
    private final transient CopyReport partialReport;

    /** Creates an exception with a code and message only. */
    public PgCopyException(ErrorCode code, String message) {
        this(builder(code, message));
    }

    private PgCopyException(Builder b) {
        super(b.message, b.cause);
        this.code = b.code;
        this.phase = b.phase;
        this.object = b.object;
        this.sqlState = b.sqlState;
        this.partialReport = b.partialReport;
        if (b.origin != null) {
            // A copy of another exception keeps where that one was thrown and what was attached to it.
            setStackTrace(b.origin.getStackTrace());
            for (Throwable s : b.origin.getSuppressed()) {
                addSuppressed(s);
            }
        }
    }

    /** Starts an exception with its code and one-line message; the other details are optional. */
    public static Builder builder(ErrorCode code, String message) {
        return new Builder(code, message, null);
    }

    /** Why the copy failed. */
    public ErrorCode code() {
        return code;
    }

    /** The step that failed, when known. */
    public Optional<Phase> phase() {
        return Optional.ofNullable(phase);
    }

    /** The object that failed (e.g. {@code public.film}), when there is one. */
    public Optional<String> object() {
        return Optional.ofNullable(object);
    }

    /** The server's SQLSTATE, when the failure came from a server. */
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
}
