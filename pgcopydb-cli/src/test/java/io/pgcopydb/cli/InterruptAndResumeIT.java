package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) on {@code pgcopydb clone} leaves a work directory that {@code clone --resume} finishes. */
@ExtendWith(PostgresPairExtension.class)
class InterruptAndResumeIT {

    @Test
    void ctrlCThenResumeEndsExact(DatabasePair pair, @TempDir Path dir) throws Exception {
        Sigint.assumeDelivered();
        pair.source().execute("""
                CREATE TABLE public.big (id bigint PRIMARY KEY, payload text NOT NULL);
                INSERT INTO public.big SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 800000) g;
                CREATE TABLE public.other (id int PRIMARY KEY REFERENCES public.big);
                INSERT INTO public.other SELECT generate_series(1, 1000);
                """);
        Path work = dir.resolve("work");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), PgCopyDbCommand.class.getName(), "clone",
                "--source", CommandRun.connectionString(pair.source()), "--target",
                CommandRun.connectionString(pair.target()), "--dir", work.toString(), "--table-jobs", "2",
                "--split-tables-larger-than", "1", "--split-max-parts", "8"));
        Process child = new ProcessBuilder(command).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(child.getErrorStream()));
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(child.getInputStream()));
        Path journal = work.resolve("journal");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !(Files.exists(journal)
                && Files.readString(journal).contains("PART\t"))) {
            Thread.sleep(10);
        }
        assertThat(Files.readString(journal)).contains("PART\t");
        new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();

        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = err.join();
        assertThat(child.exitValue()).as(stderr).isEqualTo(130);
        assertThat(stderr.lines().filter(l -> l.startsWith("pgcopydb: "))).singleElement().asString()
                .startsWith("pgcopydb: the copy was cancelled; the work directory " + work)
                .endsWith("keeps what was finished: continue with --resume and --not-consistent, passing --dir "
                        + work + " again");
        assertThat(stderr).doesNotContain("\tat ");
        assertThat(out.join()).isEmpty();

        CommandRun resumed = CommandRun.execute("clone", "--source", CommandRun.connectionString(pair.source()),
                "--target", CommandRun.connectionString(pair.target()), "--dir", work.toString(), "--resume",
                "--not-consistent", "--table-jobs", "2", "--split-tables-larger-than", "1", "--split-max-parts", "8");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        CommandRun.assertIdentical(pair);
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
