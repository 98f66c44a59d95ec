package io.pgcopydb.testkit.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Shell scripts standing in for PostgreSQL's client tools, to test how a program finds them: a {@code pg_config}
 * that names a bin directory, and {@code pg_dump} / {@code pg_restore} that only answer {@code --version}.
 */
public final class FakeClientTools {
    private FakeClientTools() {
    }

    /**
     * Writes {@code dir/pg_config}, which prints {@code binDirectory} for any argument (as {@code --bindir}
     * would).
     *
     * @return the script's path, to put in {@code PG_CONFIG}
     */
    public static Path pgConfig(Path dir, Path binDirectory) {
        return script(dir.resolve("pg_config"), "echo '" + binDirectory.toString().replace("'", "'\\''") + "'");
    }

    /**
     * Writes {@code pg_dump} and {@code pg_restore} into {@code binDirectory}; both print
     * {@code <name> (PostgreSQL) <version>} and exit 0, whatever they are asked.
     *
     * @return {@code binDirectory}
     */
    public static Path binDirectory(Path binDirectory, String version) {
        for (String tool : new String[] {"pg_dump", "pg_restore"}) {
            script(binDirectory.resolve(tool), "echo '" + tool + " (PostgreSQL) " + version + "'");
        }
        return binDirectory;
    }

    private static Path script(Path file, String body) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
