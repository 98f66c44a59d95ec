package io.pgcopydb.internal.follow;

/**
 * The applier could not replay a change on the target: the message names the transaction, the table and what to do;
 * the target's {@link java.sql.SQLException}, when there is one, is the cause. The target transaction was rolled
 * back, so the origin's progress still points right after the last transaction applied.
 */
public final class ApplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A refusal of the applier's own (a missing table, a protocol it does not read). */
    public ApplyException(String message) {
        super(message);
    }

    /** A failure with its cause (the target's error). */
    public ApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
