package io.pgcopydb;

/**
 * What is wrong, fine enough for a caller to act on: carried by each {@link Problem} and, for its most important
 * problem, by {@link PgCopyException#code()}. Codes are grouped by {@link #category()}, for callers that only need
 * the broad kind (the CLI's exit codes, for instance).
 */
public enum ErrorCode {
    /** An option or argument is invalid. */
    INVALID_ARGUMENT(Category.ARGUMENT),

    /** A server could not be reached: connection refused, timed out, or a network error. */
    SERVER_UNREACHABLE(Category.CONNECTION),
    /** The host name of a connection string does not resolve. */
    UNKNOWN_HOST(Category.CONNECTION),
    /** The server refused the user name and password (SQLSTATE 28P01). */
    AUTHENTICATION_FAILED(Category.CONNECTION),
    /**
     * The server refused the connection: {@code pg_hba.conf}, no such role, no CONNECT privilege (28000 and
     * others).
     */
    CONNECTION_REJECTED(Category.CONNECTION),
    /** The server asked for a password and none was given (08004). */
    PASSWORD_MISSING(Category.CONNECTION),
    /** The database of a connection string does not exist (3D000). */
    DATABASE_NOT_FOUND(Category.CONNECTION),

    /** No {@code pg_dump} / {@code pg_restore} was found, or {@code PG_CONFIG} could not be run. */
    CLIENT_TOOLS_MISSING(Category.PREFLIGHT),
    /** The {@code pg_dump} found is older than the source server. */
    CLIENT_TOOLS_TOO_OLD(Category.PREFLIGHT),
    /** Source and target are the same database. */
    SAME_DATABASE(Category.PREFLIGHT),
    /** The target holds relations, and neither {@code dropIfExists()} nor {@code resume()} was asked. */
    TARGET_NOT_EMPTY(Category.PREFLIGHT),
    /** A connecting role lacks a privilege the copy needs (the problem's side and object say where). */
    PRIVILEGE_MISSING(Category.PREFLIGHT),
    /** A role the source's objects are owned by, or its privileges name, does not exist on the target. */
    ROLE_MISSING(Category.PREFLIGHT),
    /** The work directory cannot be created, written or locked. */
    WORK_DIRECTORY_UNUSABLE(Category.PREFLIGHT),
    /** The work directory is locked by another live run. */
    WORK_DIRECTORY_IN_USE(Category.PREFLIGHT),
    /** The work directory holds an interrupted copy: {@code resume()} continues it, {@code restart()} discards it. */
    INTERRUPTED_COPY_FOUND(Category.PREFLIGHT),
    /** The work directory holds a finished copy: start over with {@code restart()}. */
    FINISHED_COPY_FOUND(Category.PREFLIGHT),
    /** {@code resume()} was asked, and the work directory holds no interrupted copy. */
    NOTHING_TO_RESUME(Category.PREFLIGHT),
    /** {@code resume()} was asked with the work directory of a copy between other databases. */
    OTHER_PAIRS_WORK_DIRECTORY(Category.PREFLIGHT),
    /** {@code resume()} was asked without {@code notConsistent()} or {@code snapshot(id)}. */
    RESUME_NEEDS_SNAPSHOT_CHOICE(Category.PREFLIGHT),
    /** The filter cannot be applied (an entry matching nothing, a dependency it would break, …). */
    FILTER_REFUSED(Category.PREFLIGHT),
    /**
     * The target lacks an extension or collation the copy does not create there ({@code skipExtensions()},
     * {@code skipCollations()}), or an extension its server does not have.
     */
    TARGET_PREREQUISITE_MISSING(Category.PREFLIGHT),
    /**
     * A step run alone ({@code steps(…)}) needs what an earlier step makes and the target or the work directory
     * does not hold it: the tables (pre-data), the table data, the indexes.
     */
    STEP_PREREQUISITE_MISSING(Category.PREFLIGHT),
    /** {@code dropIfExists()} would also drop target objects the source does not have; nothing was dropped. */
    DROP_WOULD_CASCADE(Category.PREFLIGHT),
    /**
     * A downgrade (target major version older than the source's): the source holds an object the target's
     * version cannot hold, e.g. an index with {@code NULLS NOT DISTINCT} for a PostgreSQL 14 target.
     */
    TARGET_TOO_OLD(Category.PREFLIGHT),

    /**
     * {@code strategy(TEMPLATE)} cannot run: source and target are not on the same server, or the source has
     * other sessions (and {@code terminateSourceSessions()} was not asked).
     */
    TEMPLATE_REFUSED(Category.PREFLIGHT),
    /** The target database exists, and the strategy asked creates it ({@code TEMPLATE} without {@code dropIfExists()}). */
    TARGET_EXISTS(Category.PREFLIGHT),

    /**
     * A follow ({@code DatabaseFollow}, {@code CopyBuilder.follow()}) cannot replicate from the source: its
     * {@code wal_level} is not {@code logical}, no replication slot or WAL sender is free, or a server is too old.
     */
    LOGICAL_REPLICATION_UNAVAILABLE(Category.PREFLIGHT),
    /**
     * A follow would publish a table without a primary key or replica identity: its updates and deletes could not
     * be replayed. The problem's object names the table.
     */
    REPLICA_IDENTITY_MISSING(Category.PREFLIGHT),
    /**
     * A follow's replication slot, publication or origin already exists (and {@code resume()} was not asked), or
     * {@code resume()} was asked and they do not.
     */
    FOLLOW_STATE_MISMATCH(Category.PREFLIGHT),

    /** {@code pg_dump} (or {@code pg_dumpall}) failed. */
    DUMP_FAILED(Category.RUN),
    /** {@code pg_restore}, or the schema steps around it, failed. */
    RESTORE_FAILED(Category.RUN),
    /** An object failed: table data, index, constraint, vacuum, sequences, large objects. */
    COPY_FAILED(Category.RUN),
    /** A connection was lost during the run and retries did not bring it back. */
    CONNECTION_LOST(Category.RUN),
    /** The source session holding the run's snapshot was lost: the run cannot go on consistently. */
    SNAPSHOT_LOST(Category.RUN),
    /** The copy finished but {@code verify()} found the target different from the source. */
    VERIFY_FAILED(Category.RUN),

    /** A follow failed while receiving changes from the slot or applying them on the target. */
    FOLLOW_FAILED(Category.RUN),

    /** The run was cancelled ({@link CopyExecution#cancel()}). */
    CANCELLED(Category.CANCELLED),
    /** The run did not finish within its {@code timeout(d)} and was cancelled. */
    TIMED_OUT(Category.CANCELLED),

    /** A bug: something the engine did not expect. */
    INTERNAL(Category.INTERNAL);

    /** The broad kind of a code. */
    public enum Category {
        /** An option or argument is invalid. */
        ARGUMENT,
        /** A server could not be reached or refused the connection before the copy started. */
        CONNECTION,
        /** A check before any write refused the copy; nothing was written. */
        PREFLIGHT,
        /** The copy failed while it ran. */
        RUN,
        /** The copy was cancelled or timed out. */
        CANCELLED,
        /** A bug. */
        INTERNAL
    }

    private final Category category;

    ErrorCode(Category category) {
        this.category = category;
    }

    /** The broad kind of this code. */
    public Category category() {
        return category;
    }
}
