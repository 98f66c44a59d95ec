package io.pgcopydb;

import java.util.Optional;

/**
 * The one exception a copy throws. It names what failed ({@link #code()}, {@link #phase()}, {@link #object()}),
 * the server's {@link #sqlState()} when there is one, and carries the {@link #partialReport()} of what was done.
 * Messages never contain passwords.
 */
public class PgCopyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Phase phase;
    private final String object;
    private final String sqlState;
    private final transient CopyReport partialReport;

    /** Creates an exception with every detail; nullable arguments may be {@code null}. */
    public PgCopyException(ErrorCode code, Phase phase, String object, String sqlState, String message,
            Throwable cause, CopyReport partialReport) {
        super(message, cause);
        this.code = code;
        this.phase = phase;
        this.object = object;
        this.sqlState = sqlState;
        this.partialReport = partialReport;
    }

    /** Creates an exception with a code and message only. */
    public PgCopyException(ErrorCode code, String message) {
        this(code, null, null, null, message, null, null);
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

    /** This exception with the partial report attached. */
    public PgCopyException withReport(CopyReport report) {
        PgCopyException e = new PgCopyException(code, phase, object, sqlState, getMessage(), getCause(), report);
        e.setStackTrace(getStackTrace());
        for (Throwable s : getSuppressed()) {
            e.addSuppressed(s);
        }
        return e;
    }
}
