package io.pgcopydb;

/** Why a copy failed; carried by {@link PgCopyException#code()}. */
public enum ErrorCode {
    /** An option or argument is invalid. */
    INVALID_ARGUMENT,
    /** A server could not be reached or refused the connection. */
    CONNECTION_FAILED,
    /** A check before any write failed (tools, versions, privileges, non-empty target, same database). */
    PREFLIGHT_FAILED,
    /** {@code pg_dump} failed. */
    DUMP_FAILED,
    /** {@code pg_restore} failed. */
    RESTORE_FAILED,
    /** One or more objects (table data, index, constraint, vacuum, sequences, large objects) failed. */
    COPY_FAILED,
    /** The run was cancelled or timed out. */
    CANCELLED,
    /** A bug: something the engine did not expect. */
    INTERNAL
}
