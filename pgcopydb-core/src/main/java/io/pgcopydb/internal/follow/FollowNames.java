package io.pgcopydb.internal.follow;

import java.util.Objects;

/**
 * The names of what a follow creates: the logical replication slot and the publication on the source, the
 * replication origin on the target. pgcopydb's defaults: all three {@code pgcopydb}.
 *
 * @param slot the replication slot's name ({@code [a-z0-9_]}, at most 63 characters, as the server requires)
 * @param publication the publication's name
 * @param origin the replication origin's name
 */
public record FollowNames(String slot, String publication, String origin) {
    /** pgcopydb's default for each of the three names. */
    public static final String DEFAULT = "pgcopydb";

    /** Checks the names. */
    public FollowNames {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(publication, "publication");
        Objects.requireNonNull(origin, "origin");
        if (!slot.matches("[a-z0-9_]{1,63}")) {
            throw new IllegalArgumentException("a replication slot's name is 1 to 63 of a-z, 0-9 and _, was '" + slot
                    + "'");
        }
        if (publication.isEmpty() || publication.length() > 63 || origin.isEmpty() || origin.length() > 512) {
            throw new IllegalArgumentException("publication and origin names must not be empty (nor longer than "
                    + "63 and 512 characters)");
        }
    }
}
