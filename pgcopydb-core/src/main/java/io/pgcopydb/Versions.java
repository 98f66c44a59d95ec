package io.pgcopydb;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which servers a copy ran between and which client tools it used, as preflight found them.
 *
 * @param source the source server's version ({@code 12.22}, from {@code server_version})
 * @param target the target server's version ({@code 17.5})
 * @param clientTools the version of the {@code pg_dump} and {@code pg_restore} used ({@code 15.18})
 * @param clientToolsDirectory the directory holding them
 */
public record Versions(String source, String target, String clientTools, Path clientToolsDirectory) {
    /** Checks that nothing is null. */
    public Versions {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(clientTools, "clientTools");
        Objects.requireNonNull(clientToolsDirectory, "clientToolsDirectory");
    }

    /** The source's major version ({@code 12}). */
    public int sourceMajor() {
        return major(source);
    }

    /** The target's major version ({@code 17}). */
    public int targetMajor() {
        return major(target);
    }

    /** The client tools' major version ({@code 15}). */
    public int clientToolsMajor() {
        return major(clientTools);
    }

    /** Whether the target's major version is older than the source's. */
    public boolean downgrade() {
        return targetMajor() < sourceMajor();
    }

    /**
     * {@code source PostgreSQL 12.22 → target PostgreSQL 17.5, pg_dump/pg_restore 15.18 (/usr/lib/postgresql/15/bin)}.
     */
    @Override
    public String toString() {
        return "source PostgreSQL " + source + " → target PostgreSQL " + target + ", pg_dump/pg_restore "
                + clientTools + " (" + clientToolsDirectory + ")";
    }

    private static int major(String version) {
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
    }
}
