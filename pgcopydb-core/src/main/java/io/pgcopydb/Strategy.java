package io.pgcopydb;

/**
 * How a copy is made ({@link CopyBuilder#strategy(Strategy)}). {@link CopyReport#strategy()} says which one ran
 * and why.
 */
public enum Strategy {
    /**
     * {@link #TEMPLATE} when it is safe — source and target on the same server (same system identifier, host and
     * port), the target database absent (or, with {@link CopyBuilder#dropIfExists()}, present but holding no
     * relation), nothing asked that rewrites or leaves out objects (a filter, {@code noOwner()}, {@code noAcl()},
     * {@code roles()}, a replaced stage, …), no other session on the source — else {@link #STREAM}. The default.
     */
    AUTO,
    /**
     * {@code CREATE DATABASE target TEMPLATE source}: the server copies the database's files, no dump, no COPY, no
     * index build. Needs the same server, no other session on the source (see
     * {@link CopyBuilder#terminateSourceSessions()}), a role allowed to create databases and owning the source;
     * refused with one line otherwise. With {@link CopyBuilder#dropIfExists()} an existing target database is
     * dropped whole first.
     */
    TEMPLATE,
    /** pg_dump/pg_restore for the schema and parallel COPY for the data, between any two servers. */
    STREAM
}
