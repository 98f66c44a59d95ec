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
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timed part of {@code bench}: round after round, every way once into a fresh target database, in an order
 * rotated by one each round; each copy verified (untimed) and its database dropped before the next starts. After
 * each copy, the same way copies an empty database, for its start cost: the CPU it spends whatever the database.
 */
final class BenchRounds {
    /** How long one copy may run before it is killed and counted as failed. */
    static final Duration LIMIT = Duration.ofHours(2);
    /** How long a copy waits for the launcher's archive writer a first run left behind (it takes a few seconds). */
    private static final Duration WRITER_LIMIT = Duration.ofMinutes(2);
    /** How many of a differing copy's differences the report names. */
    private static final int DIFFERENCES_SHOWN = 5;

    private static final Logger LOG = LoggerFactory.getLogger(BenchRounds.class);

    private final BenchServers servers;
    private final TestDatabase source;
    private final TestDatabase empty;
    private final WayCommands commands;
    private final BenchOptions options;
    private final int warmup;
    private final Map<String, String> environment;
    private final Path temp;

    BenchRounds(BenchServers servers, TestDatabase source, TestDatabase empty, WayCommands commands,
            BenchOptions options, int warmup, Map<String, String> environment, Path temp) {
        this.warmup = warmup;
        this.servers = servers;
        this.source = source;
        this.empty = empty;
        this.commands = commands;
        this.options = options;
        this.environment = Map.copyOf(environment);
        this.temp = temp;
    }

    /** The target database of {@code way} in {@code round}: {@code pgcopydb_bench_<way>_<round>}. */
    static String targetDatabase(BenchWay way, int round) {
        return "pgcopydb_bench_" + way.databasePart() + "_" + round;
    }

    /** The target of {@code way}'s copy of the empty database in {@code round}: {@code …_<round>_empty}. */
    static String startDatabase(BenchWay way, int round) {
        return targetDatabase(way, round) + "_empty";
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
        LOG.info("{}, {} ({}/{}): {}", label(round), way.name(), position,
                options.ways().size(), way.describe(options.tableJobs()));
        Copy timed = copy(way, source, targetDatabase(way, round));
        Optional<Copy> start = Optional.empty();
        if (timed.finished()) {
            // Right after, in the same minutes: the same way on an empty database, for what it spends whatever the
            // database. Its wall clock is not reported; its verdict counts like the timed copy's.
            start = Optional.of(copy(way, empty, startDatabase(way, round)));
        }
        BenchRun run = roundResult(way, round, position, timed, start);
        LOG.info("{}, {}: {} s, CPU {} s (an empty database's copy: {} s), peak RSS {}: {}", label(round),
                way.name(), String.format(Locale.ROOT, "%.1f", run.wallSeconds()), cpu(run.cpuSeconds()),
                cpu(run.startCpuSeconds()),
                run.peakRssBytes().isPresent() ? (run.peakRssBytes().getAsLong() >> 20) + " MB" : "?",
                run.outcome() == BenchRun.Outcome.IDENTICAL ? "identical"
                        : run.outcome() + " " + String.join(" | ", run.notes()));
        return run;
    }

    /**
     * A round's figures from its timed copy and the copy of the empty database that followed it (none when the timed
     * one failed): the start copy's CPU beside the timed one's; a start copy that failed or differs fails the round,
     * its notes after the timed copy's own.
     */
    static BenchRun roundResult(BenchWay way, int round, int position, Copy timed, Optional<Copy> start) {
        TimedProcess.Result result = timed.result();
        BenchRun.Outcome outcome = timed.outcome();
        List<String> notes = timed.notes();
        if (start.isPresent() && start.get().outcome() != BenchRun.Outcome.IDENTICAL) {
            outcome = BenchRun.Outcome.FAILED;
            notes = Stream.of(notes.stream(), Stream.of("its copy of an empty database "
                    + (start.get().outcome() == BenchRun.Outcome.DIFFERENT ? "differs" : "did not finish")),
                    start.get().notes().stream()).flatMap(s -> s).toList();
        }
        return new BenchRun(way.name(), round, position, seconds(result.wall()), result.cpuSeconds(),
                start.map(c -> c.result().cpuSeconds()).orElse(OptionalDouble.empty()), result.peakRssBytes(),
                outcome, notes);
    }

    /** One copy by {@code way} of {@code from} into a new database {@code name}, verified, then dropped. */
    private Copy copy(BenchWay way, TestDatabase from, String name) {
        TestDatabase target = servers.createTarget(name);
        try {
            Path scratch = Files.createDirectory(temp.resolve(name));
            servers.checkpoint();
            String script = commands.script(way, servers.spec(from).toUri(), servers.spec(target).toUri(),
                    scratch.toString());
            TimedProcess.Result result = TimedProcess.run(script, environment, temp.resolve(name + ".log"), LIMIT);
            // A first run of our launcher writes its class-data archive after it returned: not during a timed copy.
            if (!LauncherCache.awaitWriters(LauncherCache.directory(environment), WRITER_LIMIT)) {
                LOG.warn("the launcher's class-data archive is still being written after {} s: the next copy may "
                        + "share the CPU with it", WRITER_LIMIT.toSeconds());
            }
            // The dump directory and work directories can be as large as the database: gone before the next way.
            TempDirectories.deleteRecursively(scratch);
            if (CancelOnShutdown.shuttingDown()) {
                throw new IllegalStateException("bench interrupted");
            }
            return result.ok() ? verified(result, from, target) : new Copy(result, BenchRun.Outcome.FAILED,
                    Stream.concat(Stream.of("exit " + result.exitCode()), result.outputTail().stream()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory under " + temp + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bench interrupted", e);
        } finally {
            if (!CancelOnShutdown.shuttingDown()) {
                servers.drop(target);
            }
        }
    }

    /** Compares the target with the source (untimed); the verdict and, when they differ, the first differences. */
    private Copy verified(TimedProcess.Result result, TestDatabase from, TestDatabase target) {
        try {
            DatabaseCompare compare = DatabaseCompare.of(servers.spec(from), servers.spec(target))
                    .jobs(options.tableJobs());
            commands.clientTools().ifPresent(compare::clientTools);
            CompareReport report = compare.all();
            return report.isIdentical() ? new Copy(result, BenchRun.Outcome.IDENTICAL, List.of())
                    : new Copy(result, BenchRun.Outcome.DIFFERENT, Stream.concat(report.differences().stream()
                            .limit(DIFFERENCES_SHOWN).map(Object::toString), Stream.of(report.summaryLine()))
                            .toList());
        } catch (RuntimeException e) {
            return new Copy(result, BenchRun.Outcome.FAILED,
                    List.of("verification failed: " + ErrorReporter.oneLine(String.valueOf(e.getMessage()))));
        }
    }

    private static String cpu(OptionalDouble seconds) {
        return seconds.isPresent() ? String.format(Locale.ROOT, "%.1f", seconds.getAsDouble()) : "?";
    }

    private String label(int round) {
        return round == 0 ? "Warm-up (untimed)" : "Round " + round + "/" + options.rounds();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** A copy's process figures and its verification's verdict. */
    record Copy(TimedProcess.Result result, BenchRun.Outcome outcome, List<String> notes) {
        boolean finished() {
            return outcome != BenchRun.Outcome.FAILED;
        }
    }
}
