package io.pgcopydb.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Where a run keeps its dump archive, TOC lists and tool logs. A directory the caller gave is kept; a temporary
 * one is removed after a successful run and kept after a failure, for inspection.
 */
final class WorkDirectory {
    private final Path path;
    private final boolean temporary;

    private WorkDirectory(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    static WorkDirectory prepare(Optional<Path> given, String runId) {
        try {
            if (given.isPresent()) {
                Path dir = Files.createDirectories(given.get());
                return new WorkDirectory(dir, false);
            }
            // Private: the dump holds the whole schema, and tool logs may name objects.
            Path dir = Files.createTempDirectory("pgcopydb-" + runId + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return new WorkDirectory(dir, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work directory: " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    void cleanUpAfterSuccess() {
        if (!temporary) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // leaving a temp directory behind is not worth failing a successful copy
        }
    }
}
