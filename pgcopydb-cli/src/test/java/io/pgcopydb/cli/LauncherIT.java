package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code target/pgcopydb}: runs the tool; after the first successful copy it writes the class-data
 * archive into the cache directory, and the next run maps it ({@code -Xshare:on} makes the JVM fail when it cannot).
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

    @Test
    void theFirstCopyWritesTheArchiveAndTheNextMapsIt(DatabasePair pair, @TempDir Path work) throws IOException {
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

    @Test
    void aJdkThatCannotWriteTheArchiveIsNotAskedAgain(DatabasePair pair, @TempDir Path work) throws IOException {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY)");
        // A java that runs the tool but fails every -Xshare:dump, and logs how it was called.
        Path calls = work.resolve("calls.log");
        Path bin = Files.createDirectories(work.resolve("jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n"
                + "case \" $* \" in *\" -Xshare:dump \"*) exit 1 ;; esac\n"
                + "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "JAVA_HOME", work.resolve("jdk").toString());

        for (int i = 1; i <= 2; i++) {
            CommandRun run = CommandRun.launcher(env, "clone", "--source", CommandRun.connectionString(pair.source()),
                    "--target", CommandRun.connectionString(pair.target()), "--dir", work.resolve("w" + i).toString(),
                    "--drop-if-exists");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            CommandRun.assertIdentical(pair);
        }
        assertThat(archives()).as("no archive, a marker that this JDK could not write one").singleElement()
                .satisfies(a -> assertThat(a.getFileName().toString()).matches("classes-\\d+-\\d+-\\d+-\\d+\\.none"));
        List<String> lines = Files.readAllLines(calls);
        assertThat(lines).as("one dump tried, by the first run only").filteredOn(l -> l.contains("-Xshare:dump"))
                .hasSize(1);
        assertThat(lines).as("the second run ran the tool alone: " + lines).hasSize(3).last().asString()
                .doesNotContain("DumpLoadedClassList").doesNotContain("SharedArchiveFile");
    }
}
