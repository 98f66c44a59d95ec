package io.pgcopydb.filter;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One database of the source's server, as {@code pgcopydb list databases} shows it ({@code template0} and
 * {@code template1} left out).
 *
 * @param oid its OID
 * @param name its name
 * @param bytes {@code pg_database_size}; empty when the role may not connect to it
 */
public record ListedDatabase(long oid, String name, OptionalLong bytes) {
    /** Checks for nulls. */
    public ListedDatabase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bytes, "bytes");
    }
}
