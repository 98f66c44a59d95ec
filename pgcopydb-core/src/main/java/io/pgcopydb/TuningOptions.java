package io.pgcopydb;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * The options of {@link CopyBuilder} that say how to work, not what to copy: jobs, memory, same-table splitting,
 * the COPY format, retries and the time limit. A separate class only to keep each file short; callers see these methods on
 * {@link CopyBuilder}.
 */
abstract class TuningOptions {
    final OptionValues values;

    TuningOptions(OptionValues values) {
        this.values = values;
    }

    private CopyBuilder self() {
        return (CopyBuilder) this;
    }

    /** Table COPY jobs running at once. Default 4. */
    public final CopyBuilder jobs(int jobs) {
        checkArgument(jobs >= 1, "jobs must be >= 1, was %s", jobs);
        values.jobs = jobs;
        return self();
    }

    /** Index builds running at once. Default 4. */
    public final CopyBuilder indexJobs(int indexJobs) {
        checkArgument(indexJobs >= 1, "indexJobs must be >= 1, was %s", indexJobs);
        values.indexJobs = indexJobs;
        return self();
    }

    /**
     * {@code pg_restore --jobs} for the post-data section, and for the pre-data section when it holds 1,000
     * privileges or more (pg_restore restores the rest of pre-data in one process: its workers would only take the
     * privileges). A post-data list of fewer than 100 quick entries (triggers, rules, policies, comments, privileges)
     * and nothing else is restored by one process: workers would cost more than they share out. Default 4.
     */
    public final CopyBuilder restoreJobs(int restoreJobs) {
        checkArgument(restoreJobs >= 1, "restoreJobs must be >= 1, was %s", restoreJobs);
        values.restoreJobs = restoreJobs;
        return self();
    }

    /** {@code VACUUM ANALYZE} jobs running at once. Default: the value of {@link #jobs(int)}. */
    public final CopyBuilder vacuumJobs(int vacuumJobs) {
        checkArgument(vacuumJobs >= 1, "vacuumJobs must be >= 1, was %s", vacuumJobs);
        values.vacuumJobs = vacuumJobs;
        return self();
    }

    /** Large objects copied at once, each job in its own transaction inside the snapshot. Default 4. */
    public final CopyBuilder largeObjectJobs(int largeObjectJobs) {
        checkArgument(largeObjectJobs >= 1, "largeObjectJobs must be >= 1, was %s", largeObjectJobs);
        values.largeObjectJobs = largeObjectJobs;
        return self();
    }

    /**
     * {@code maintenance_work_mem} for index builds on the target, e.g. {@code "512MB"}, for every build. Default:
     * 1GB, except for a B-tree build without parallel workers on a table of 64MB or more, on a target without
     * {@code temp_file_limit}: {@code sqrt(table bytes × 264 kB)} between 16MB and 1GB — enough for its sort to
     * merge its runs in one pass, and faster than one sort in memory (the benchmark's text index: 2.9 s with 16MB,
     * 4.1 s with 1GB).
     */
    public final CopyBuilder maintenanceWorkMem(String value) {
        checkArgument(value != null && value.matches("\\d+\\s*(kB|MB|GB|TB)?"),
                "maintenanceWorkMem must look like 512MB or 1GB, was %s", value);
        values.maintenanceWorkMem = value.replace(" ", "");
        return self();
    }

    /**
     * Splits every table over {@code bytes} (heap and TOAST) into parts copied at once, about one per {@code bytes}
     * and at most {@link #splitMaxParts(int)}: on ranges of its integer key (a one-column integer primary key or
     * NOT NULL unique column), else on ranges of its heap's pages ({@code ctid}, unless {@link #skipSplitByCtid()}).
     * Page ranges need the TID range scans of PostgreSQL 14: from an older source such a table is copied whole. A
     * part split by key is redone alone (its range deleted first); a table split by pages whose part failed or was
     * interrupted is emptied and copied again whole, in the run (a lost connection, within
     * {@link CopyBuilder#retries(int)}) or by {@code resume()}. Default 0: never.
     */
    public final CopyBuilder splitTablesLargerThan(long bytes) {
        checkArgument(bytes >= 0, "splitTablesLargerThan must be >= 0 bytes, was %s", bytes);
        values.splitTablesLargerThan = bytes;
        return self();
    }

    /** The most parts one table is split into. Default: {@link #jobs(int)}. */
    public final CopyBuilder splitMaxParts(int parts) {
        checkArgument(parts >= 1, "splitMaxParts must be >= 1, was %s", parts);
        values.splitMaxParts = parts;
        return self();
    }

    /**
     * Same-table splitting of a table without an integer key ({@link #splitTablesLargerThan(long)}) is not done by
     * ranges of its pages ({@code ctid}): such a table is copied whole. By default it is split by pages (from
     * PostgreSQL 14 sources).
     */
    public final CopyBuilder skipSplitByCtid() {
        values.splitByCtid = false;
        return self();
    }

    /**
     * Moves rows in PostgreSQL's binary COPY format instead of text where both servers read every column's type the
     * same way; other tables move in text. Chosen once per run at the start of the data step, from one catalog
     * query on each side: binary needs both servers of one major version and both databases of one encoding, and
     * every copied column's type — followed through domains, arrays, ranges and multiranges — to end in a built-in
     * type with binary send and receive functions (not a {@code reg*} OID alias such as {@code regclass}, whose
     * binary form is a raw OID), an enum, or a type of an extension installed in the same version on both sides; a
     * composite type, or an array of a type that is not built in, keeps its table in text (their binary forms carry
     * type OIDs that differ between servers). Each table's format, and why a table stayed in text, are in
     * {@link TableReport#copyFormat()} and {@link TableReport#fallbackReason()} and logged at INFO.
     *
     * <p>The default for a copy whose tables total 64 MB or more: binary spares the target's COPY the parsing of
     * text (measured on the benchmark's 1.5 GB database: a third less target CPU for the COPY of
     * {@code pgbench_accounts}, a quarter for a table of numerics, timestamps and jsonb) and is proven exact by the
     * same comparisons as text. Below 64 MB a copy moves in text unless this method is called: the choice costs a
     * catalog query on each side (~90 ms for pagila) and saves less than that. This method undoes
     * {@link #useCopyText()}.
     */
    public final CopyBuilder useCopyBinary() {
        values.useCopyBinary = true;
        return self();
    }

    /**
     * Moves every table's rows in COPY's text format, as {@code pg_dump} does, instead of binary where both servers
     * read every column's type the same way ({@link #useCopyBinary()}, the default from 64 MB) — for a server or
     * proxy in between that handles only text, or to rule binary out when looking into a difference. Then no
     * table's format is reported, and no catalog query chooses them.
     */
    public final CopyBuilder useCopyText() {
        values.useCopyBinary = false;
        return self();
    }

    /**
     * How many times work lost with its connection is retried: SQLSTATE class 08, a backend terminated by an
     * administrator or a server shutdown (57P01–57P03), an I/O error, on either side, at connect time and
     * during COPY, index builds, constraints and VACUUM. Retries wait with jittered exponential backoff (0.5 s,
     * 1 s, 2 s … capped at 15 s). Any other error fails the object at once. Default 5; 0 disables retries.
     */
    public final CopyBuilder retries(int retries) {
        checkArgument(retries >= 0, "retries must be >= 0, was %s", retries);
        values.retries = retries;
        return self();
    }

    /** The longest one object may spend retrying before it fails, however many retries are left. Default 2 min. */
    public final CopyBuilder retryTimeout(java.time.Duration retryTimeout) {
        Objects.requireNonNull(retryTimeout, "retryTimeout");
        checkArgument(!retryTimeout.isNegative() && !retryTimeout.isZero(), "retryTimeout must be positive, was %s",
                retryTimeout);
        values.retryTimeout = retryTimeout;
        return self();
    }

    /** Cancels the run unfinished after {@code timeout}, as {@link CopyExecution#cancel()} does. Default: none. */
    public final CopyBuilder timeout(java.time.Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        checkArgument(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive, was %s", timeout);
        values.timeout = timeout;
        return self();
    }
}
