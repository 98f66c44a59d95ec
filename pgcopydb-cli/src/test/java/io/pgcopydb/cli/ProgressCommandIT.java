package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code clone}'s progress in a real child process whose standard error is a pipe, not a terminal: plain progress
 * lines every {@code --progress-interval}, the library's own periodic line muted; {@code --progress tty} drawing in
 * place; {@code --progress none} quiet. The plain run is held inside an index build on the target (its expression
 * waits on an advisory lock the test holds) until the lines have shown it, so nothing depends on timing.
 */
@ExtendWith(PostgresPairExtension.class)
class ProgressCommandIT {
    private static final String GATED = """
            CREATE TABLE items (id int PRIMARY KEY, v int);
            INSERT INTO items SELECT g, g FROM generate_series(1, 20000) g;
            CREATE FUNCTION gate(int) RETURNS int LANGUAGE plpgsql IMMUTABLE
                AS $$ BEGIN PERFORM pg_advisory_xact_lock_shared(4243); RETURN $1; END $$;
            CREATE INDEX items_gate ON items (gate(v));
            ANALYZE""";

    @Test
    void withoutATerminalPlainLinesSayHowFarTheCopyIsEveryInterval(DatabasePair pair) throws Exception {
        pair.source().execute(GATED);
        List<String> err = new ArrayList<>();
        CountDownLatch indexShown = new CountDownLatch(1);
        try (Connection lock = pair.target().connect(); Statement st = lock.createStatement()) {
            st.execute("SELECT pg_advisory_lock(4243)");
            Process child = start(pair, "--progress-interval", "1");
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(child));
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    err.add(line);
                    if (line.contains("Progress: ") && line.contains("CREATE INDEX public.items_gate building index")) {
                        indexShown.countDown();
                        st.execute("SELECT pg_advisory_unlock(4243)");
                    }
                }
            } finally {
                if (!child.waitFor(3, TimeUnit.MINUTES)) {
                    child.destroy();
                }
            }
            assertThat(child.exitValue()).as(String.join("\n", err)).isZero();
            assertThat(out.join()).contains("Total Wall Clock Duration");
        }
        assertThat(indexShown.getCount()).as("the held index build was shown: %s", err).isZero();
        List<String> progress = err.stream().filter(l -> l.contains("Progress: ")).toList();
        assertThat(progress).as("one line a second while held, each the CLI's").allSatisfy(l -> assertThat(l)
                .contains("[pgcopydb-progress] INFO PlainProgress - Progress: data ")
                .containsPattern("tables \\d/1, indexes \\d/2, constraints \\d/1, vacuums \\d/1"));
        assertThat(progress).as("the held build, with the server's phase").anySatisfy(l -> assertThat(l)
                .contains("data 100.0 %", "tables 1/1, indexes 1/2", "CREATE INDEX public.items_gate building index:"
                        + " scanning table"));
        assertThat(err).as("no escape codes in a log").noneMatch(l -> l.contains("\033["));
        CommandRun.assertIdentical(pair);
    }

    @Test
    void forcedOntoATerminalTheLinesAreDrawnInPlaceAndTheLogGoesAbove(DatabasePair pair) throws Exception {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 1000)");
        Process child = start(pair, "--progress", "tty");
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(child));
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(err).isZero();
        assertThat(out.join()).as("the summary tables as before").contains("Total Wall Clock Duration");
        assertThat(err).as("cursor hidden, lines cleared, cursor shown again").contains("\033[?25l", "\033[K")
                .endsWith("\033[?25h");
        String last = err.substring(err.lastIndexOf('\r') + 1);
        assertThat(last).as("the last frame stays: the whole bar").startsWith("[=====")
                .contains("] 100.0 %", "tables 1/1", "indexes 1/1");
        assertThat(err).as("log lines still print").contains("STEP 5: copy table data");
    }

    @Test
    void noneShowsNoProgress(DatabasePair pair) throws Exception {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 1000)");
        Process child = start(pair, "--progress", "none", "--progress-interval", "1");
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(child));
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(err).isZero();
        out.join();
        assertThat(err).contains("STEP 5").doesNotContain("Progress:", "\033[");
    }

    private static Process start(DatabasePair pair, String... progress) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), PgCopyDbCommand.class.getName(), "clone",
                "--source", CommandRun.connectionString(pair.source()), "--target",
                CommandRun.connectionString(pair.target())));
        command.addAll(List.of(progress));
        ProcessBuilder builder = new ProcessBuilder(command);
        Process child = builder.start();
        child.getOutputStream().close();
        return child;
    }

    private static String readAll(Process child) {
        try {
            return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
