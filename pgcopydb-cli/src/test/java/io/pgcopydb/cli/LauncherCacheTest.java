package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the launcher keeps its archives, and the wait for an archive's writer. */
class LauncherCacheTest {
    @TempDir
    Path dir;

    @Test
    void theDirectoryIsXdgCacheHomesElseHomesDotCache() {
        assertThat(LauncherCache.directory(Map.of("XDG_CACHE_HOME", "/x/cache", "HOME", "/home/u")))
                .isEqualTo(Path.of("/x/cache/pgcopydb"));
        assertThat(LauncherCache.directory(Map.of("XDG_CACHE_HOME", "", "HOME", "/home/u")))
                .isEqualTo(Path.of("/home/u/.cache/pgcopydb"));
        assertThat(LauncherCache.directory(Map.of("HOME", "/home/u"))).isEqualTo(Path.of("/home/u/.cache/pgcopydb"));
    }

    @Test
    void waitsWhileAWriterHoldsItsLockAndNoLongerThanAsked() throws Exception {
        Path cache = dir.resolve("pgcopydb");
        assertThat(LauncherCache.awaitWriters(cache, Duration.ZERO)).as("no directory").isTrue();
        Files.createDirectories(cache);
        Files.createFile(cache.resolve("classes-1-2-3-4.jsa"));
        assertThat(LauncherCache.awaitWriters(cache, Duration.ZERO)).as("an archive, no writer").isTrue();

        Path lock = Files.createDirectory(cache.resolve("classes-5-6-7-8.lock"));
        assertThat(LauncherCache.awaitWriters(cache, Duration.ofMillis(100))).as("a writer that does not end")
                .isFalse();

        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
                Files.delete(lock);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(LauncherCache.awaitWriters(cache, Duration.ofMinutes(1))).isTrue();
        assertThat(Files.exists(lock)).as("returned once the lock was gone").isFalse();
        writer.get(1, TimeUnit.MINUTES);
    }
}
