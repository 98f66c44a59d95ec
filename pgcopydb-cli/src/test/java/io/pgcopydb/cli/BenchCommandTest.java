package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code bench} refuses bad input with one line and exit 2 before it starts any server; run in-process, it is not
 * in a jar, which it says the same way. The ways' selection and their rotation are checked here too.
 */
class BenchCommandTest {

    @Test
    void badValuesAreOneLineAndExitTwo() {
        expectUsage("--rounds must be >= 1, was 0", "bench", "--rounds", "0");
        expectUsage("--scale must be between 1 and 20000", "bench", "--scale", "0");
        expectUsage("--table-jobs must be >= 1, was 0", "bench", "--table-jobs", "0");
        expectUsage("--wide-rows must be >= 0, was -1", "bench", "--wide-rows", "-1");
        expectUsage("give --json or --markdown, not both", "bench", "--json", "--markdown");
        expectUsage("--ways: unknown way 'nope'", "bench", "--ways", "ours-text,nope");
        expectUsage("--ways names ours-text twice", "bench", "--ways", "ours-text,ours-text");
        expectUsage("--way ours-x: --dir is set by bench", "bench", "--way", "ours-x=--skip-vacuum --dir /tmp/x");
        expectUsage("--way pgcopydb: that is the name of a built-in way", "bench", "--way", "pgcopydb=--skip-vacuum");
        expectUsage("--way Bad: give NAME=FLAGS", "bench", "--way", "Bad");
        expectUsage("--jvm-opt Xmx1g is not a JVM option", "bench", "--jvm-opt", "Xmx1g");
        expectUsage("--split-tables-larger-than lots is not a size", "bench", "--split-tables-larger-than", "lots");
        expectUsage("give both --source and --target", "bench", "--source", "postgres://u@h/db");
    }

    @Test
    void pgcopydbAskedForWithoutABinaryOnThePathIsRefused() {
        CommandRun run = CommandRun.execute(Map.of("PATH", "/nonexistent"), "bench", "--ways", "pgcopydb");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString().contains("needs a pgcopydb binary on the PATH");
    }

    @Test
    void notRunFromAJarSaysSoInOneLine() {
        CommandRun run = CommandRun.execute("bench", "--scale", "1", "--rounds", "1");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString()
                .isEqualTo("pgcopydb: bench runs each copy of ours as 'java -jar' of the running jar, and this is "
                        + "not a jar: run it as java -jar pgcopydb.jar bench");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void waysDefaultToEveryBuiltInOneAndVariantsComeAfter() {
        List<BenchWay> all = BenchWay.select(List.of(), List.of("ours-nv=--skip-vacuum  --use-copy-binary"),
                Set.of(), true);
        assertThat(all).extracting(BenchWay::name)
                .containsExactly("ours-text", "ours-binary", "pg-dump-dir", "pg-dump-custom", "pgcopydb", "ours-nv");
        assertThat(all.get(5).flags()).containsExactly("--skip-vacuum", "--use-copy-binary");
        assertThat(all.get(0).flags()).as("ours-text: text COPY asked for").containsExactly("--use-copy-text");
        assertThat(all.get(1).flags()).as("ours-binary: the default clone").isEmpty();

        List<BenchWay> withoutPgcopydb = BenchWay.select(List.of(), List.of(), Set.of(), false);
        assertThat(withoutPgcopydb).extracting(BenchWay::name).doesNotContain("pgcopydb");
    }

    @Test
    void eachRoundRotatesTheOrderByOne() {
        List<BenchWay> ways = BenchWay.select(List.of("ours-text", "pg-dump-dir", "pg-dump-custom"), List.of(),
                Set.of(), false);

        assertThat(BenchRounds.order(ways, 1)).extracting(BenchWay::name)
                .containsExactly("ours-text", "pg-dump-dir", "pg-dump-custom");
        assertThat(BenchRounds.order(ways, 2)).extracting(BenchWay::name)
                .containsExactly("pg-dump-dir", "pg-dump-custom", "ours-text");
        assertThat(BenchRounds.order(ways, 4)).extracting(BenchWay::name)
                .containsExactly("ours-text", "pg-dump-dir", "pg-dump-custom");
        assertThat(BenchRounds.targetDatabase(ways.get(1), 3)).isEqualTo("pgcopydb_bench_pg_dump_dir_3");
    }

    private static void expectUsage(String message, String... args) {
        CommandRun run = CommandRun.execute(args);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                .startsWith("pgcopydb: ").contains(message);
    }
}
