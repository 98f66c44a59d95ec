package io.pgcopydb.cli;

import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.testkit.server.TempDirectories;
import io.pgcopydb.testkit.server.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timed part of {@code bench}: round after round, every way once into a fresh target database, in an order
 * rotated by one each round; each copy verified (untimed) and its database dropped before the next starts.
 */
final class BenchRounds {
    /** How long one copy may run before it is killed and counted as failed. */
    static final Duration LIMIT = Duration.ofHours(2);
    /** How many of a differing copy's differences the report names. */
    private static final int DIFFERENCES_SHOWN = 5;

    private static final Logger LOG = LoggerFactory.getLogger(BenchRounds.class);

    private final BenchServers servers;
    private final TestDatabase source;
    private final WayCommands commands;
    private final BenchOptions options;
    private final int warmup;
    private final Map<String, String> environment;
    private final Path temp;

    BenchRounds(BenchServers servers, TestDatabase source, WayCommands commands, BenchOptions options, int warmup,
            Map<String, String> environment, Path temp) {
        this.warmup = warmup;
        this.servers = servers;
        this.source = source;
        this.commands = commands;
        this.options = options;
        this.environment = Map.copyOf(environment);
        this.temp = temp;
    }

    /** The target database of {@code way} in {@code round}: {@code pgcopydb_bench_<way>_<round>}. */
    static String targetDatabase(BenchWay way, int round) {
        return "pgcopydb_bench_" + way.databasePart() + "_" + round;
    }

    /** The order of {@code ways} in {@code round} (from 1): rotated left by {@code round - 1}. */
    static List<BenchWay> order(List<BenchWay> ways, int round) {
        List<BenchWay> order = new ArrayList<>();
        for (int i = 0; i < ways.size(); i++) {
            order.add(ways.get((round - 1 + i) % ways.size()));
        }
        return order;
    }

    /** Runs the untimed warm-up copies, then every round; returns every timed copy, in the order they ran. */
    List<BenchRun> run() {
        for (int w = 1; w <= warmup; w++) {
            // Round 0: its database is pgcopydb_bench_<way>_0; its figures are logged, not reported.
            runOne(options.ways().get(0), 0, w);
        }
        List<BenchRun> runs = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            List<BenchWay> order = order(options.ways(), round);
            for (int i = 0; i < order.size(); i++) {
                runs.add(runOne(order.get(i), round, i + 1));
            }
        }
        return runs;
    }

    private BenchRun runOne(BenchWay way, int round, int position) {
        String name = targetDatabase(way, round);
        TestDatabase target = servers.createTarget(name);
        try {
            Path scratch = Files.createDirectory(temp.resolve(name));
            servers.checkpoint();
            String script = commands.script(way, servers.spec(source).toUri(), servers.spec(target).toUri(),
                    scratch.toString());
            LOG.info("{}, {} ({}/{}): {}", label(round), way.name(), position,
                    options.ways().size(), way.describe(options.tableJobs()));
            TimedProcess.Result result = TimedProcess.run(script, environment, temp.resolve(name + ".log"), LIMIT);
            // The dump directory and work directories can be as large as the database: gone before the next way.
            TempDirectories.deleteRecursively(scratch);
            if (CancelOnShutdown.shuttingDown()) {
                throw new IllegalStateException("bench interrupted");
            }
            BenchRun run = result.ok() ? verified(way, round, position, result, target)
                    : new BenchRun(way.name(), round, position, seconds(result.wall()), result.cpuSeconds(),
                            result.peakRssBytes(), BenchRun.Outcome.FAILED, Stream.concat(
                                    Stream.of("exit " + result.exitCode()), result.outputTail().stream()).toList());
            LOG.info("{}, {}: {} s, CPU {} s, peak RSS {}: {}", label(round), way.name(),
                    String.format(Locale.ROOT, "%.1f", run.wallSeconds()),
                    run.cpuSeconds().isPresent() ? String.format(Locale.ROOT, "%.1f", run.cpuSeconds().getAsDouble())
                            : "?",
                    run.peakRssBytes().isPresent() ? (run.peakRssBytes().getAsLong() >> 20) + " MB" : "?",
                    run.outcome() == BenchRun.Outcome.IDENTICAL ? "identical"
                            : run.outcome() + " " + String.join(" | ", run.notes()));
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory under " + temp + ": " + e.getMessage(), e);
        } finally {
            if (!CancelOnShutdown.shuttingDown()) {
                servers.drop(target);
            }
        }
    }

    /** Compares the target with the source (untimed); the verdict and, when they differ, the first differences. */
    private BenchRun verified(BenchWay way, int round, int position, TimedProcess.Result result, TestDatabase target) {
        BenchRun.Outcome outcome;
        List<String> notes;
        try {
            DatabaseCompare compare = DatabaseCompare.of(servers.spec(source), servers.spec(target))
                    .jobs(options.tableJobs());
            commands.clientTools().ifPresent(compare::clientTools);
            CompareReport report = compare.all();
            outcome = report.isIdentical() ? BenchRun.Outcome.IDENTICAL : BenchRun.Outcome.DIFFERENT;
            notes = report.isIdentical() ? List.of() : Stream.concat(report.differences().stream()
                    .limit(DIFFERENCES_SHOWN).map(Object::toString), Stream.of(report.summaryLine())).toList();
        } catch (RuntimeException e) {
            outcome = BenchRun.Outcome.FAILED;
            notes = List.of("verification failed: " + ErrorReporter.oneLine(String.valueOf(e.getMessage())));
        }
        return new BenchRun(way.name(), round, position, seconds(result.wall()), result.cpuSeconds(),
                result.peakRssBytes(), outcome, notes);
    }

    private String label(int round) {
        return round == 0 ? "Warm-up (untimed)" : "Round " + round + "/" + options.rounds();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
