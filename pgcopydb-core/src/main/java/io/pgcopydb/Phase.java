package io.pgcopydb;

/**
 * The numbered steps of a copy, in the order they start. Table copies, index builds, constraints and vacuums
 * all happen during {@link #COPY_DATA}, scheduled by dependency.
 */
public enum Phase {
    /** Checks both servers, tools and the target before any write. */
    PREFLIGHT("check servers, tools and the target"),
    /** Exports the snapshot every source reader shares and reads the source catalog in it. */
    CATALOG("export a snapshot and fetch source tables, indexes and sequences"),
    /** {@code pg_dump} of the pre-data and post-data sections. */
    DUMP_SCHEMA("dump the source database schema (pre/post data)"),
    /** {@code pg_restore} of the pre-data section. */
    PREPARE_SCHEMA("restore the pre-data section to the target database"),
    /** Parallel COPY, then per table: its indexes in parallel, its constraints, VACUUM ANALYZE. */
    COPY_DATA("copy table data, create indexes and constraints, vacuum"),
    /** {@code setval} of every sequence with its value in the snapshot. */
    SEQUENCES("reset sequences values"),
    /** Large objects, copied inside the snapshot. */
    LARGE_OBJECTS("copy large objects"),
    /** {@code pg_restore} of the post-data section, minus what the engine built. */
    FINALIZE_SCHEMA("restore the post-data section to the target database"),
    /** With {@code verify()}: the target compared with the source (schema and data) within the filter. */
    VERIFY("compare the target with the source");

    private final String description;

    Phase(String description) {
        this.description = description;
    }

    /** 1-based step number, as logged ({@code STEP 3: …}). */
    public int number() {
        return ordinal() + 1;
    }

    /** What the step does, as logged. */
    public String description() {
        return description;
    }
}
