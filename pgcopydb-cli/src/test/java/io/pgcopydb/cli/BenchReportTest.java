package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench}'s figures and renderings from given runs (nothing is timed here), and its process runner. */
class BenchReportTest {
    private static final long GB = 1L << 30;

    @Test
    void mediansRangesRatiosAndCpuPerGbOverFinishedCopies() {
        BenchReport report = report(List.of(
                run("ours-text", 1, 1, 20.0, 4.0, BenchRun.Outcome.IDENTICAL),
                run("pg-dump-dir", 1, 2, 30.0, 2.0, BenchRun.Outcome.IDENTICAL),
                run("pg-dump-dir", 2, 1, 34.0, 3.0, BenchRun.Outcome.IDENTICAL),
                run("ours-text", 2, 2, 24.0, 5.0, BenchRun.Outcome.IDENTICAL),
                run("ours-text", 3, 1, 99.0, 9.0, BenchRun.Outcome.FAILED),
                run("pg-dump-dir", 3, 2, 32.0, 2.5, BenchRun.Outcome.IDENTICAL)));

        BenchReport.WayResult ours = report.results().get(0);
        assertThat(ours.median()).as("the failed round does not count").hasValue(22.0);
        assertThat(ours.min()).hasValue(20.0);
        assertThat(ours.max()).hasValue(24.0);
        assertThat(ours.cpuMedian()).hasValue(4.5);
        assertThat(report.cpuPerGb(ours)).hasValue(2.25);
        assertThat(report.ratio(ours).getAsDouble()).isCloseTo(22.0 / 32.0, Offset.offset(1e-9));
        assertThat(ours.verified()).isFalse();
        assertThat(report.results().get(1).verified()).isTrue();
        assertThat(report.allVerified()).isFalse();
    }

    @Test
    void theCpuBeyondTheStartCostIsEachRoundsDifferenceNotTheDifferenceOfMedians() {
        BenchReport report = report(List.of(
                run("ours-text", 1, 1, 20.0, 4.0, OptionalDouble.of(0.5), BenchRun.Outcome.IDENTICAL),
                run("ours-text", 2, 1, 21.0, 5.0, OptionalDouble.of(3.0), BenchRun.Outcome.IDENTICAL),
                run("ours-text", 3, 1, 22.0, 9.0, OptionalDouble.of(1.0), BenchRun.Outcome.IDENTICAL),
                run("ours-text", 4, 1, 23.0, 6.0, OptionalDouble.empty(), BenchRun.Outcome.IDENTICAL),
                run("ours-text", 5, 1, 99.0, 1.0, OptionalDouble.of(0.1), BenchRun.Outcome.FAILED)));

        BenchReport.WayResult ours = report.results().get(0);
        assertThat(ours.startCpuMedian()).as("rounds 1-3: the unmeasured and the failed left out").hasValue(1.0);
        assertThat(ours.beyondStartMedian()).as("3.5, 2.0 and 8.0; not 5.0 - 1.0").hasValue(3.5);
        assertThat(report.cpuPerGbBeyondStart(ours)).hasValue(1.75);
        assertThat(ours.cpuMedian()).as("rounds 1-4").hasValue(5.5);
    }

    @Test
    void aRoundsStartCopyGivesItsCpuAndFailsTheRoundWhenItFailsOrDiffers() {
        BenchWay way = BenchWay.builtIn("ours-text");
        TimedProcess.Result timed = new TimedProcess.Result(Duration.ofSeconds(20), OptionalDouble.of(4.0),
                OptionalLong.of(100L << 20), 0, List.of());
        TimedProcess.Result empty = new TimedProcess.Result(Duration.ofSeconds(1), OptionalDouble.of(0.5),
                OptionalLong.of(60L << 20), 0, List.of());
        BenchRounds.Copy identical = new BenchRounds.Copy(timed, BenchRun.Outcome.IDENTICAL, List.of());

        BenchRun ok = BenchRounds.roundResult(way, 1, 1, identical,
                java.util.Optional.of(new BenchRounds.Copy(empty, BenchRun.Outcome.IDENTICAL, List.of())));
        assertThat(ok.outcome()).isEqualTo(BenchRun.Outcome.IDENTICAL);
        assertThat(ok.wallSeconds()).isEqualTo(20.0);
        assertThat(ok.startCpuSeconds()).hasValue(0.5);
        assertThat(ok.cpuBeyondStart()).hasValue(3.5);

        BenchRun startFailed = BenchRounds.roundResult(way, 1, 1,
                new BenchRounds.Copy(timed, BenchRun.Outcome.DIFFERENT, List.of("public.t rows differ")),
                java.util.Optional.of(new BenchRounds.Copy(empty, BenchRun.Outcome.FAILED, List.of("exit 1"))));
        assertThat(startFailed.outcome()).isEqualTo(BenchRun.Outcome.FAILED);
        assertThat(startFailed.notes()).containsExactly("public.t rows differ",
                "its copy of an empty database did not finish", "exit 1");

        BenchRun noStart = BenchRounds.roundResult(way, 1, 1, new BenchRounds.Copy(timed, BenchRun.Outcome.FAILED,
                List.of("exit 3")), java.util.Optional.empty());
        assertThat(noStart.startCpuSeconds()).isEmpty();
        assertThat(noStart.notes()).containsExactly("exit 3");
    }

    @Test
    void textMarkdownAndJsonCarryTheSameFigures() {
        BenchReport report = report(List.of(
                run("ours-text", 1, 1, 20.0, 4.0, BenchRun.Outcome.IDENTICAL),
                run("pg-dump-dir", 1, 2, 30.0, 2.0, BenchRun.Outcome.DIFFERENT)));

        String text = report.toText();
        assertThat(text).contains("database: 2.00 GB (2,147,483,648 bytes): a dataset")
                .containsPattern("ours-text +\\| +20\\.0 s \\| +20\\.0 s \\| 20\\.0-20\\.0 s \\| +0\\.67 \\| +4\\.0 "
                        + "\\| +2\\.00 \\| +0\\.50 \\| +1\\.75 \\| +100 MB \\| identical")
                .contains("| start CPU s | CPU s/GB beyond start |")
                .containsPattern("pg-dump-dir +\\| +30\\.0 s .*\\| FAILED \\(r1\\)")
                .contains("rounds (order): 1: ours-text, pg-dump-dir")
                .contains("pg-dump-dir round 1: copy differs: public.t rows differ");
        assertThat(report.toMarkdown()).contains("| ours-text | `clone --use-copy-text` | 20.0 | 20.0 s | 20.0-20.0 s "
                + "| 0.67 | 4.0 | 2.00 | 0.50 | 1.75 | 100 MB | identical |");
        assertThat(report.toJson()).startsWith("{\"database\":{\"bytes\":2147483648,")
                .contains("\"name\":\"ours-text\"", "\"medianSeconds\":20.000", "\"ratioToBaseline\":0.667",
                        "\"cpuSecondsPerGb\":2.000", "\"startCpuSeconds\":0.500", "\"startCpuSecondsMedian\":0.500",
                        "\"cpuSecondsPerGbBeyondStart\":1.750", "\"outcome\":\"DIFFERENT\"", "\"notes\":[\"public.t rows differ\"]")
                .endsWith("\"baseline\":\"pg-dump-dir\",\"ok\":false}");
    }

    @Test
    void withPgcopydbAmongTheWaysEachMedianIsAlsoGivenAsARatioToItsMedian() {
        List<BenchRun> runs = List.of(
                run("ours-binary", 1, 1, 14.0, 1.8, BenchRun.Outcome.IDENTICAL),
                run("pgcopydb", 1, 2, 17.0, 1.2, BenchRun.Outcome.IDENTICAL),
                run("pgcopydb", 2, 1, 16.0, 1.2, BenchRun.Outcome.IDENTICAL),
                run("ours-binary", 2, 2, 13.0, 1.7, BenchRun.Outcome.IDENTICAL));
        BenchReport report = report(runs, 2, List.of(BenchWay.builtIn("ours-binary"), BenchWay.builtIn("pgcopydb")));

        BenchReport.WayResult ours = report.results().get(0);
        assertThat(report.ratio(ours, BenchWay.PGCOPYDB).getAsDouble()).isCloseTo(13.5 / 16.5, Offset.offset(1e-9));
        assertThat(report.ratio(ours)).as("no pg-dump-dir in this run").isEmpty();
        assertThat(report.toText()).containsPattern("\\| vs pg-dump-dir \\| vs pgcopydb \\| CPU s ")
                .containsPattern("ours-binary +\\| +14\\.0 s \\| +13\\.0 s \\| +13\\.5 s \\| 13\\.0-14\\.0 s "
                        + "\\| +- \\| +0\\.82 \\| +1\\.8 ")
                .containsPattern("pgcopydb +\\|.*\\| +- \\| +1\\.00 \\| +1\\.2 ");
        assertThat(report.toMarkdown()).contains("| ratio to pgcopydb | CPU s |",
                        "|---|---|---|---|---|---|---|---|---|---|---|---|---|")
                .contains("| 13.0-14.0 s | - | 0.82 | 1.8 |");
        assertThat(report.toJson()).contains("\"ratioToBaseline\":null,\"ratioToPgcopydb\":0.818");
        assertThat(report(runs.subList(0, 1), 1, List.of(BenchWay.builtIn("ours-binary"))).toText())
                .as("without pgcopydb, no such column").doesNotContain("vs pgcopydb");
    }

    @Test
    void aCommandsExitCodeOutputAndCpuAreRecorded(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));

        TimedProcess.Result ok = TimedProcess.run("echo one; echo two", env, dir.resolve("ok.log"),
                Duration.ofMinutes(1));
        assertThat(ok.ok()).isTrue();
        assertThat(ok.outputTail()).containsExactly("one", "two");
        assertThat(ok.cpuSeconds()).as("bash's times was read").isPresent();

        TimedProcess.Result failed = TimedProcess.run("echo no >&2; false | true", env, dir.resolve("failed.log"),
                Duration.ofMinutes(1));
        assertThat(failed.exitCode()).as("pipefail: a failing pipe stage fails the way").isEqualTo(1);
        assertThat(failed.outputTail()).containsExactly("no");

        Files.writeString(dir.resolve("t"), "0m0.004s 0m0.001s\n1m2.500s 0m0,250s\n");
        assertThat(TimedProcess.cpuSeconds(dir.resolve("t"))).hasValue(62.75);
    }

    private static BenchReport report(List<BenchRun> runs) {
        return report(runs, runs.stream().mapToInt(BenchRun::round).max().orElse(1));
    }

    private static BenchReport report(List<BenchRun> runs, int rounds) {
        return report(runs, rounds, List.of(BenchWay.builtIn("ours-text"), BenchWay.builtIn("pg-dump-dir")));
    }

    private static BenchReport report(List<BenchRun> runs, int rounds, List<BenchWay> ways) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("pg_dump", "15.18");
        Map<String, String> commands = new LinkedHashMap<>();
        commands.put("ours-text", "java -jar pgcopydb.jar clone --source SRC --target TGT");
        BenchSetup setup = new BenchSetup("a dataset", 2 * GB, rounds, 2, 2, 0, List.of("-Xmx128m"), "two servers",
                "2 cores", versions, commands);
        return new BenchReport(setup, ways, runs);
    }

    private static BenchRun run(String way, int round, int position, double wall, double cpu,
            BenchRun.Outcome outcome) {
        return run(way, round, position, wall, cpu, OptionalDouble.of(0.5), outcome);
    }

    private static BenchRun run(String way, int round, int position, double wall, double cpu,
            OptionalDouble startCpu, BenchRun.Outcome outcome) {
        return new BenchRun(way, round, position, wall, OptionalDouble.of(cpu), startCpu, OptionalLong.of(100L << 20),
                outcome, outcome == BenchRun.Outcome.IDENTICAL ? List.of() : List.of("public.t rows differ"));
    }
}
