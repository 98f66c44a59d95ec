package io.pgcopydb.testkit.server;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.LoggerFactory;

/** Removal of the temporary directories throwaway servers, demos and benchmarks create. */
public final class TempDirectories {
    private TempDirectories() {
    }

    /** A new private directory under the system temp directory, named {@code prefix…}. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new TestkitException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    /** Deletes {@code dir} and everything under it, if it exists; a failure is logged at WARN, not thrown. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LoggerFactory.getLogger(TempDirectories.class).warn("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
