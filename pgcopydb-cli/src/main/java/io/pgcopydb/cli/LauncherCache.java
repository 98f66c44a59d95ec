package io.pgcopydb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The launcher's cache of class-data archives ({@code $XDG_CACHE_HOME/pgcopydb}, else {@code ~/.cache/pgcopydb}). A
 * first run after a build writes its archive in the background once it has returned, holding a lock directory
 * ({@code classes-<build>.lock}) while it does: ~2 s of CPU that must not fall into the next timed copy.
 */
final class LauncherCache {
    private LauncherCache() {
    }

    /** The cache directory the launcher uses with {@code environment}. */
    static Path directory(Map<String, String> environment) {
        String xdg = environment.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg)
                : Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
        return base.resolve("pgcopydb");
    }

    /**
     * Waits while an archive is being written in {@code directory}, at most {@code longest}.
     *
     * @return whether no writer was left when it returned
     */
    static boolean awaitWriters(Path directory, Duration longest) throws InterruptedException {
        long deadline = System.nanoTime() + longest.toNanos();
        while (writing(directory)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Whether an archive is being written in {@code directory} (its writer's lock is there). */
    static boolean writing(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".lock"));
        } catch (IOException e) {
            return false;
        }
    }
}
