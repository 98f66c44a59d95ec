package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code target/pgcopydb}: runs the tool; after the first successful copy has returned, it writes the
 * class-data archive into the cache directory in the background, and the next run maps it ({@code -Xshare:on} makes
 * the JVM fail when it cannot).
 */
@ExtendWith(PostgresPairExtension.class)
class LauncherIT {
    @TempDir
    Path cache;

    private List<Path> archives() throws IOException {
        Path dir = cache.resolve("pgcopydb");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private boolean writing() {
        return LauncherCache.writing(cache.resolve("pgcopydb"));
    }

    /** Waits for the archive's writer, which runs in the background after the run that started it returned. */
    private void awaitWriter() throws InterruptedException {
        assertThat(LauncherCache.awaitWriters(cache.resolve("pgcopydb"), Duration.ofMinutes(2)))
                .as("the archive's writer ended within 2 minutes").isTrue();
    }

    @Test
    void theFirstCopyWritesTheArchiveAndTheNextMapsIt(DatabasePair pair, @TempDir Path work) throws Exception {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY, v text);"
                + "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());

        CommandRun version = CommandRun.launcher(env, "--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("pgcopydb ");
        assertThat(archives()).as("--version writes no archive").isEmpty();

        CommandRun first = CommandRun.launcher(env, "clone", "--source", CommandRun.connectionString(pair.source()),
                "--target", CommandRun.connectionString(pair.target()), "--dir", work.resolve("1").toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        awaitWriter();
        assertThat(archives()).singleElement().satisfies(a -> assertThat(a.getFileName().toString())
                .matches("classes-\\d+-\\d+-\\d+-\\d+\\.jsa"));
        assertThat(cache.resolve("pgcopydb")).as("no class list left behind")
                .isDirectoryNotContaining("glob:**.list");
        CommandRun.assertIdentical(pair);

        Path classLog = work.resolve("classes.log");
        CommandRun second = CommandRun.launcher(Map.of("XDG_CACHE_HOME", cache.toString(), "PGCOPYDB_JAVA_OPTS",
                "-Xshare:on -Xlog:class+load=info:file=" + classLog), "clone", "--source", CommandRun.connectionString(pair.source()), "--target",
                CommandRun.connectionString(pair.target()), "--dir", work.resolve("2").toString(), "--drop-if-exists");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        CommandRun.assertIdentical(pair);
        assertThat(Files.readAllLines(classLog)).as("the tool's own classes come from the archive")
                .anyMatch(l -> l.contains("io.pgcopydb.internal.engine.CopyEngine source: shared objects file"))
                .as("picocli's classes (Java 5 class files) too")
                .anyMatch(l -> l.contains("picocli.CommandLine source: shared objects file"));

        // A flight recording hooks class loading: on the archive above, JDK 17 died with SIGSEGV (seen in use).
        Path recording = work.resolve("run.jfr");
        Path recordedLog = work.resolve("recorded-classes.log");
        CommandRun recorded = CommandRun.launcher(Map.of("XDG_CACHE_HOME", cache.toString(), "PGCOPYDB_JAVA_OPTS",
                "-XX:StartFlightRecording=filename=" + recording + " -Xlog:class+load=info:file=" + recordedLog),
                "clone", "--source", CommandRun.connectionString(pair.source()), "--target",
                CommandRun.connectionString(pair.target()), "--dir", work.resolve("3").toString(), "--drop-if-exists");
        assertThat(recorded.exitCode()).as(recorded.toString()).isZero();
        CommandRun.assertIdentical(pair);
        assertThat(recording).as("the recording was written").isNotEmptyFile();
        assertThat(Files.readAllLines(recordedLog)).as("the tool's classes are read from the jar, not the archive")
                .anyMatch(l -> l.contains("io.pgcopydb.internal.engine.CopyEngine source: file:"));
    }

    /**
     * The archive is written after the run returned, by one writer per build at a time: with a java whose
     * {@code -Xshare:dump} waits for a gate file and then fails, the first run returns while it waits (else this
     * test would wait for 3 minutes and fail), a second run meanwhile writes nothing, and once it failed no run asks
     * again; a writer's lock older than 10 minutes (a writer that was killed) is taken over.
     */
    @Test
    void theArchiveIsWrittenAfterTheRunOneWriterAtATimeAndAJdkThatCannotIsNotAskedAgain(DatabasePair pair,
            @TempDir Path work) throws Exception {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY)");
        // A java that runs the tool but fails every -Xshare:dump once the gate is open, and logs how it was called.
        Path calls = work.resolve("calls.log");
        Path gate = work.resolve("gate");
        Path bin = Files.createDirectories(work.resolve("jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n"
                + "case \" $* \" in *\" -Xshare:dump \"*)"
                + " while [ ! -e '" + gate + "' ]; do sleep 0.1; done; exit 1 ;; esac\n"
                + "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "JAVA_HOME", work.resolve("jdk").toString());

        clone(env, pair, work.resolve("w1"));
        assertThat(writing()).as("the writer waits at the gate, the run has returned").isTrue();
        clone(env, pair, work.resolve("w2"));
        Files.createFile(gate);
        awaitWriter();
        clone(env, pair, work.resolve("w3"));

        Path none = archives().stream()
                .filter(a -> a.getFileName().toString().matches("classes-\\d+-\\d+-\\d+-\\d+\\.none")).findFirst()
                .orElseThrow(() -> new AssertionError("no marker that this JDK could not write the archive"));
        assertThat(archives()).as("no archive, no class list, no lock left").containsExactly(none);
        List<String> lines = Files.readAllLines(calls);
        assertThat(lines).as("one writer, started by the first run only: " + lines).hasSize(4);
        assertThat(lines.get(0)).contains("DumpLoadedClassList");
        assertThat(lines.get(1)).contains("-Xshare:dump");
        assertThat(lines.subList(2, 4))
                .as("the second run (a writer busy) and the third (this JDK cannot) ran the tool alone")
                .noneMatch(l -> l.contains("DumpLoadedClassList") || l.contains("SharedArchiveFile"));

        // A killed writer's lock, 11 minutes old: the next run takes it over.
        Files.delete(none);
        Path lock = Files.createDirectory(none.resolveSibling(none.getFileName().toString().replace(".none", ".lock")));
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofMinutes(11))));
        clone(env, pair, work.resolve("w4"));
        awaitWriter();
        assertThat(Files.readAllLines(calls).subList(4, 6)).as("the fourth run wrote again")
                .satisfiesExactly(l -> assertThat(l).contains("DumpLoadedClassList"),
                        l -> assertThat(l).contains("-Xshare:dump"));
        assertThat(archives()).containsExactly(none);
    }

    private static void clone(Map<String, String> env, DatabasePair pair, Path dir) {
        CommandRun run = CommandRun.launcher(env, "clone", "--source", CommandRun.connectionString(pair.source()),
                "--target", CommandRun.connectionString(pair.target()), "--dir", dir.toString(), "--drop-if-exists");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        CommandRun.assertIdentical(pair);
    }
}
