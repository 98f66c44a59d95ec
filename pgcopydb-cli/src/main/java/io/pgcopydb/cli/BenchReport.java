package io.pgcopydb.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The result of {@code bench}: per way, every round's wall clock, the median, min–max, the ratio of the median
 * to {@value BenchWay#BASELINE}'s (and to {@value BenchWay#PGCOPYDB}'s when it ran), the median CPU seconds and CPU
 * seconds per GB of database, the start cost (the median CPU seconds of its copies of an empty database) and the
 * CPU seconds per GB beyond it (the median of each round's CPU minus that round's start cost, per GB), the peak
 * RSS, and whether every copy verified; as text, Markdown or JSON. Medians
 * and ranges are taken over the copies that ran to their end (a copy that differs still counts, and is marked
 * FAILED).
 *
 * @param setup what was measured, and on what
 * @param ways the ways, in the order they were given
 * @param runs every timed copy
 */
record BenchReport(BenchSetup setup, List<BenchWay> ways, List<BenchRun> runs) {

    BenchReport {
        ways = List.copyOf(ways);
        runs = List.copyOf(runs);
    }

    /** One way's figures. */
    record WayResult(BenchWay way, List<BenchRun> runs, OptionalDouble median, OptionalDouble min,
            OptionalDouble max, OptionalDouble cpuMedian, OptionalDouble startCpuMedian,
            OptionalDouble beyondStartMedian, OptionalLong peakRssBytes) {

        /** Whether every round's copy finished and verified identical. */
        boolean verified() {
            return !runs.isEmpty() && runs.stream().allMatch(r -> r.outcome() == BenchRun.Outcome.IDENTICAL);
        }
    }

    /** The figures of each way, in order. */
    List<WayResult> results() {
        List<WayResult> results = new ArrayList<>();
        for (BenchWay way : ways) {
            List<BenchRun> own = runs.stream().filter(r -> r.way().equals(way.name())).toList();
            List<Double> walls = own.stream().filter(BenchRun::finished).map(BenchRun::wallSeconds).toList();
            List<Double> cpus = present(own, BenchRun::cpuSeconds);
            List<Double> starts = present(own, BenchRun::startCpuSeconds);
            List<Double> beyond = present(own, BenchRun::cpuBeyondStart);
            OptionalLong rss = own.stream().map(BenchRun::peakRssBytes).filter(OptionalLong::isPresent)
                    .mapToLong(OptionalLong::getAsLong).max();
            results.add(new WayResult(way, own, median(walls),
                    walls.stream().mapToDouble(Double::doubleValue).min(),
                    walls.stream().mapToDouble(Double::doubleValue).max(), median(cpus), median(starts),
                    median(beyond), rss));
        }
        return results;
    }

    /** The figure {@code of} each finished copy of {@code runs}, where it was measured. */
    private static List<Double> present(List<BenchRun> runs, Function<BenchRun, OptionalDouble> of) {
        return runs.stream().filter(BenchRun::finished).map(of).filter(OptionalDouble::isPresent)
                .map(OptionalDouble::getAsDouble).toList();
    }

    /** Whether every copy finished and verified. */
    boolean allVerified() {
        return results().stream().allMatch(WayResult::verified);
    }

    /** The median of {@code values} (the mean of the middle two for an even count), empty for none. */
    static OptionalDouble median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
    }

    /** The median of {@code result} over the baseline's median, when both exist. */
    OptionalDouble ratio(WayResult result) {
        return ratio(result, BenchWay.BASELINE);
    }

    /** The median of {@code result} over the median of the way named {@code other}, when both exist. */
    OptionalDouble ratio(WayResult result, String other) {
        OptionalDouble base = results().stream().filter(r -> r.way().name().equals(other))
                .findFirst().map(WayResult::median).orElse(OptionalDouble.empty());
        if (base.isEmpty() || result.median().isEmpty() || base.getAsDouble() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(result.median().getAsDouble() / base.getAsDouble());
    }

    /** CPU seconds (median) per GB of database. */
    OptionalDouble cpuPerGb(WayResult result) {
        return perGb(result.cpuMedian());
    }

    /** CPU seconds beyond the start cost (median over the rounds) per GB of database. */
    OptionalDouble cpuPerGbBeyondStart(WayResult result) {
        return perGb(result.beyondStartMedian());
    }

    private OptionalDouble perGb(OptionalDouble seconds) {
        if (seconds.isEmpty() || setup.databaseBytes() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(seconds.getAsDouble() / setup.databaseGb());
    }

    /** The header lines, the table, the rounds' order, the commands and every failure, for a terminal. */
    String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "database: %s (%,d bytes): %s%n", gb(setup.databaseBytes()),
                setup.databaseBytes(), setup.dataset()));
        sb.append("servers: ").append(setup.servers()).append('\n');
        sb.append("machine: ").append(setup.machine()).append('\n');
        sb.append("versions: ").append(versionsLine()).append('\n');
        sb.append("settings: ").append(settingsLine()).append("\n\n");
        List<String> headers = new ArrayList<>(List.of("way"));
        for (int r = 1; r <= setup.rounds(); r++) {
            headers.add("round " + r);
        }
        headers.addAll(List.of("median", "min-max", "vs " + BenchWay.BASELINE));
        if (hasPgcopydb()) {
            headers.add("vs " + BenchWay.PGCOPYDB);
        }
        headers.addAll(List.of("CPU s", "CPU s/GB", "start CPU s", "CPU s/GB beyond start", "peak RSS",
                "verified"));
        List<List<String>> rows = new ArrayList<>();
        for (WayResult result : results()) {
            List<String> row = new ArrayList<>(List.of(result.way().name()));
            for (int r = 1; r <= setup.rounds(); r++) {
                row.add(roundCell(result, r));
            }
            row.addAll(figures(result));
            rows.add(row);
        }
        sb.append(TextTable.render(headers, rows, 1));
        sb.append('\n').append("rounds (order): ").append(orderLine()).append('\n');
        sb.append("commands (SRC, TGT: the source and a fresh target database; DIR: a fresh directory):\n");
        setup.commands().forEach((way, command) -> sb.append("  ").append(way).append(": ").append(command)
                .append('\n'));
        List<String> failures = failureLines();
        if (!failures.isEmpty()) {
            sb.append("failures:\n");
            failures.forEach(f -> sb.append("  ").append(f).append('\n'));
        }
        return sb.toString();
    }

    /** A Markdown paragraph with the setup and a table of every way, to paste into a README. */
    String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Database %s (%s); %s; %s; versions: %s.%n%n", gb(setup.databaseBytes()),
                setup.dataset(), setup.machine(), settingsLine(), versionsLine()));
        sb.append("| way | command | rounds (s) | median | min–max | ratio to ").append(BenchWay.BASELINE)
                .append(hasPgcopydb() ? " | ratio to " + BenchWay.PGCOPYDB : "")
                .append(" | CPU s | CPU s/GB | start CPU s | CPU s/GB beyond start | peak RSS | verified |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|").append(hasPgcopydb() ? "---|" : "").append('\n');
        for (WayResult result : results()) {
            List<String> figures = figures(result);
            String rounds = result.runs().stream().map(r -> r.finished() ? seconds(r.wallSeconds()) : "failed")
                    .collect(Collectors.joining(" / "));
            // A pipe inside a cell, even in code, ends the cell unless escaped.
            sb.append("| ").append(result.way().name()).append(" | `")
                    .append(result.way().describe(setup.tableJobs()).replace("|", "\\|")).append("` | ").append(rounds).append(" | ").append(String.join(" | ", figures)).append(" |\n");
        }
        return sb.toString();
    }

    /** Everything as one JSON object; absent figures are {@code null}. */
    String toJson() {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"database\":{\"bytes\":").append(setup.databaseBytes()).append(",\"description\":")
                .append(Json.quote(setup.dataset())).append("},\"servers\":").append(Json.quote(setup.servers()))
                .append(",\"machine\":").append(Json.quote(setup.machine())).append(",\"versions\":")
                .append(Json.object(setup.versions())).append(",\"settings\":{\"rounds\":").append(setup.rounds())
                .append(",\"tableJobs\":").append(setup.tableJobs()).append(",\"indexJobs\":")
                .append(setup.indexJobs()).append(",\"splitTablesLargerThan\":").append(setup.splitTablesLargerThan())
                .append(",\"jvmOptions\":").append(Json.array(setup.jvmOptions())).append("},\"ways\":[");
        List<WayResult> results = results();
        for (int i = 0; i < results.size(); i++) {
            WayResult w = results.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"name\":").append(Json.quote(w.way().name()))
                    .append(",\"command\":").append(Json.quote(setup.commands().getOrDefault(w.way().name(), "")))
                    .append(",\"runs\":[");
            for (int j = 0; j < w.runs().size(); j++) {
                BenchRun r = w.runs().get(j);
                sb.append(j == 0 ? "" : ",").append("{\"round\":").append(r.round()).append(",\"position\":")
                        .append(r.position()).append(",\"wallSeconds\":").append(Json.number(r.wallSeconds()))
                        .append(",\"cpuSeconds\":").append(Json.number(r.cpuSeconds()))
                        .append(",\"startCpuSeconds\":").append(Json.number(r.startCpuSeconds()))
                        .append(",\"peakRssBytes\":")
                        .append(r.peakRssBytes().isPresent() ? Long.toString(r.peakRssBytes().getAsLong()) : "null")
                        .append(",\"outcome\":").append(Json.quote(r.outcome().name())).append(",\"notes\":")
                        .append(Json.array(r.notes())).append('}');
            }
            sb.append("],\"medianSeconds\":").append(Json.number(w.median())).append(",\"minSeconds\":")
                    .append(Json.number(w.min())).append(",\"maxSeconds\":").append(Json.number(w.max()))
                    .append(",\"ratioToBaseline\":").append(Json.number(ratio(w))).append(",\"ratioToPgcopydb\":")
                    .append(Json.number(ratio(w, BenchWay.PGCOPYDB))).append(",\"cpuSecondsMedian\":")
                    .append(Json.number(w.cpuMedian())).append(",\"cpuSecondsPerGb\":")
                    .append(Json.number(cpuPerGb(w))).append(",\"startCpuSecondsMedian\":")
                    .append(Json.number(w.startCpuMedian())).append(",\"cpuSecondsPerGbBeyondStart\":")
                    .append(Json.number(cpuPerGbBeyondStart(w))).append(",\"peakRssBytes\":")
                    .append(w.peakRssBytes().isPresent() ? Long.toString(w.peakRssBytes().getAsLong()) : "null")
                    .append(",\"verified\":").append(w.verified()).append('}');
        }
        return sb.append("],\"baseline\":").append(Json.quote(BenchWay.BASELINE)).append(",\"ok\":")
                .append(allVerified()).append('}').toString();
    }

    /** Whether pgcopydb was one of the ways: the tables then have a "vs pgcopydb" column. */
    private boolean hasPgcopydb() {
        return ways.stream().anyMatch(w -> w.name().equals(BenchWay.PGCOPYDB));
    }

    /** Median, min–max, ratio (and to pgcopydb's), CPU s, CPU s/GB, start CPU s and beyond, peak RSS, verified. */
    private List<String> figures(WayResult result) {
        String range = result.min().isPresent()
                ? seconds(result.min().getAsDouble()) + "-" + seconds(result.max().getAsDouble()) + " s" : "-";
        String verified = result.verified() ? "identical" : "FAILED"
                + result.runs().stream().filter(r -> r.outcome() != BenchRun.Outcome.IDENTICAL)
                        .map(r -> "r" + r.round()).collect(Collectors.joining(",", " (", ")"));
        List<String> figures = new ArrayList<>(List.of(
                result.median().isPresent() ? seconds(result.median().getAsDouble()) + " s" : "-", range,
                fixed(ratio(result), 2)));
        if (hasPgcopydb()) {
            figures.add(fixed(ratio(result, BenchWay.PGCOPYDB), 2));
        }
        figures.addAll(List.of(fixed(result.cpuMedian(), 1), fixed(cpuPerGb(result), 2),
                fixed(result.startCpuMedian(), 2), fixed(cpuPerGbBeyondStart(result), 2),
                result.peakRssBytes().isPresent() ? (result.peakRssBytes().getAsLong() >> 20) + " MB" : "-", verified));
        return figures;
    }

    private static String roundCell(WayResult result, int round) {
        return result.runs().stream().filter(r -> r.round() == round).findFirst()
                .map(r -> r.finished() ? seconds(r.wallSeconds()) + " s" : "failed").orElse("-");
    }

    private String orderLine() {
        List<String> rounds = new ArrayList<>();
        for (int r = 1; r <= setup.rounds(); r++) {
            int round = r;
            rounds.add(r + ": " + runs.stream().filter(x -> x.round() == round)
                    .sorted(Comparator.comparingInt(BenchRun::position)).map(BenchRun::way)
                    .collect(Collectors.joining(", ")));
        }
        return String.join("; ", rounds);
    }

    private List<String> failureLines() {
        List<String> lines = new ArrayList<>();
        for (BenchRun r : runs) {
            if (r.outcome() != BenchRun.Outcome.IDENTICAL) {
                lines.add(r.way() + " round " + r.round() + ": " + (r.outcome() == BenchRun.Outcome.DIFFERENT
                        ? "copy differs: " : "did not finish: ") + String.join(" | ", r.notes()));
            }
        }
        return lines;
    }

    private String versionsLine() {
        return setup.versions().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private String settingsLine() {
        return "table jobs " + setup.tableJobs() + ", index jobs " + setup.indexJobs()
                + (setup.splitTablesLargerThan() > 0 ? ", split tables larger than " + setup.splitTablesLargerThan()
                        + " bytes" : "")
                + ", " + setup.rounds() + " interleaved round" + (setup.rounds() == 1 ? "" : "s")
                + " in rotating order, our JVM " + String.join(" ", setup.jvmOptions());
    }

    private static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1L << 30));
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f", s);
    }

    private static String fixed(OptionalDouble value, int decimals) {
        return value.isPresent() ? String.format(Locale.ROOT, "%." + decimals + "f", value.getAsDouble()) : "-";
    }

    /** The little JSON this report writes. */
    private static final class Json {
        private Json() {
        }

        static String quote(String s) {
            return CliJson.str(s);
        }

        static String number(double value) {
            return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "null";
        }

        static String number(OptionalDouble value) {
            return value.isPresent() ? number(value.getAsDouble()) : "null";
        }

        static String array(List<String> values) {
            return values.stream().map(Json::quote).collect(Collectors.joining(",", "[", "]"));
        }

        static String object(Map<String, String> values) {
            return values.entrySet().stream().map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
    }
}
