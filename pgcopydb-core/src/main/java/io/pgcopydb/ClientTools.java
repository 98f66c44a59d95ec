package io.pgcopydb;

import io.pgcopydb.internal.Wiring;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code pg_dump} and {@code pg_restore} a copy from a source of a given major version would use, found the way
 * a copy finds them: the directory given ({@link CopyBuilder#clientTools(Path)}), else {@code PG_CONFIG}'s, else the
 * newest installed one at least as new as the source. Immutable.
 *
 * @param version their version ({@code 16.4})
 * @param directory the directory holding them
 * @param reason why these were chosen
 */
public record ClientTools(String version, Path directory, String reason) {

    /** Checks for nulls. */
    public ClientTools {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Finds the client tools for a source of major version {@code sourceMajor}, reading {@code PG_CONFIG} and
     * {@code PATH} from this process's environment.
     *
     * @param sourceMajor the source server's major version ({@code 15})
     * @param directory the only directory to use, when given
     * @return the tools found
     * @throws PgCopyException with {@link ErrorCode#CLIENT_TOOLS_MISSING} or another code of the client tools when
     *     none fits, naming what to install or set
     */
    public static ClientTools find(int sourceMajor, Optional<Path> directory) {
        return Wiring.clientTools(sourceMajor, Objects.requireNonNull(directory, "directory"));
    }
}
