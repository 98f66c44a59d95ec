package io.pgcopydb.examples.bench;

import io.pgcopydb.CopyReport;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.Strategy;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.fixture.FixtureDatabase;
import io.pgcopydb.fixture.FixturePool;
import io.pgcopydb.fixture.Fixtures;
import io.pgcopydb.fixture.PoolStats;
import io.pgcopydb.testkit.sample.Datasets;
import io.pgcopydb.testkit.server.LocalPostgres;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fixture benchmark of issue 16, on two throwaway local servers with pagila as the fixture:
 *
 * <p>The fixture server's data directory is in memory ({@link LocalPostgres#startInMemory()}), unless
 * {@code --on-disk}.
 *
 * <ol>
 *   <li>a warm pool ({@code --pool} databases ready, {@code --refill-jobs} making more) hands {@code --handouts}
 *       databases to {@code --threads} parallel "tests" of {@code --test-ms} each (a connection, a count of
 *       {@code rental}, then sleep): handout p50/p95/max, how many waited, the background refill's p50;</li>
 *   <li>an on-demand fast-path clone ({@code DatabaseCopy…run()}, {@code Strategy.AUTO} taking the template) against a
 *       bare {@code psql -c "CREATE DATABASE … TEMPLATE pagila STRATEGY FILE_COPY"}, {@code --rounds} interleaved
 *       rounds, medians and their ratio (both timed end to end, process or call);</li>
 *   <li>a streamed clone of pagila into the other server, end to end ({@code --rounds}, median).</li>
 * </ol>
 *
 * <pre>
 * java -cp pgcopydb-examples/target/pgcopydb-examples.jar io.pgcopydb.examples.bench.FixtureBenchmark \
 *      [--handouts 500] [--threads 4] [--test-ms 100] [--pool 8] [--refill-jobs 4] [--rounds 5] [--on-disk]
 * </pre>
 */
public final class FixtureBenchmark {
    private FixtureBenchmark() {
    }

    /**
     * Runs the three parts and prints their figures.
     *
     * @param args options, as in the class comment
     * @throws Exception when a server, the pool or a copy fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Bench.options(args, Set.of("--handouts", "--threads", "--test-ms", "--pool",
                "--refill-jobs", "--rounds"), Set.of("--on-disk"), "--handouts N, --threads N, --test-ms MS, --pool N, "
                + "--refill-jobs N, --rounds N, --on-disk");
        int handouts = Integer.parseInt(opts.getOrDefault("--handouts", "500"));
        int threads = Integer.parseInt(opts.getOrDefault("--threads", "4"));
        int testMs = Integer.parseInt(opts.getOrDefault("--test-ms", "100"));
        int poolSize = Integer.parseInt(opts.getOrDefault("--pool", "8"));
        int refillJobs = Integer.parseInt(opts.getOrDefault("--refill-jobs", "4"));
        int rounds = Integer.parseInt(opts.getOrDefault("--rounds", "5"));
        Datasets.require("pagila");

        boolean onDisk = opts.containsKey("--on-disk");
        // The fixture server's data directory in memory, as fixture servers are best run (LocalPostgres
        // #startInMemory says why); --on-disk measures the same on the temporary directory's disk.
        try (LocalPostgres a = onDisk ? LocalPostgres.start() : LocalPostgres.startInMemory();
             LocalPostgres b = LocalPostgres.start()) {
            a.createDatabase("pagila");
            Datasets.loadPagila(new TestDatabase(a, "pagila"));
            ConnectionSpec pagila = Bench.spec(a, "pagila");
            System.out.printf(Locale.ROOT, "PostgreSQL %s, %d CPUs; pagila %s; fixture server's data directory %s%n",
                    a.queryForString("pagila", "SHOW server_version"), Runtime.getRuntime().availableProcessors(),
                    a.queryForString("pagila", "SELECT pg_size_pretty(pg_database_size('pagila'))"),
                    a.baseDirectory());
            pool(pagila, handouts, threads, testMs, poolSize, refillJobs);
            onDemand(a, pagila, rounds);
            streamed(pagila, b, rounds);
        }
    }

    private static void pool(ConnectionSpec pagila, int handouts, int threads, int testMs, int poolSize,
            int refillJobs) throws Exception {
        long t0 = System.nanoTime();
        try (FixturePool pool = Fixtures.of(pagila).poolSize(poolSize).refillJobs(refillJobs).start()) {
            while (pool.stats().refillTimes().size() < poolSize) {
                Thread.sleep(5);
            }
            System.out.printf(Locale.ROOT, "%npool: template built and %d databases ready in %.2f s%n", poolSize,
                    Bench.seconds(t0));
            AtomicInteger left = new AtomicInteger(handouts);
            ExecutorService tests = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(tests.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        runTest(pool, testMs);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            tests.shutdown();
            double wall = Bench.seconds(start);
            PoolStats stats = pool.stats();
            List<Duration> refills = stats.refillTimes().subList(poolSize, stats.refillTimes().size());
            System.out.printf(Locale.ROOT, "pool: %d handouts to %d parallel tests of %d ms in %.1f s (pool %d, "
                    + "refill jobs %d)%n", stats.handouts(), threads, testMs, wall, poolSize, refillJobs);
            System.out.printf(Locale.ROOT, "  handout p50 %s  p95 %s  max %s; %d of %d waited%n",
                    ms(PoolStats.percentile(stats.handoutTimes(), 50)), ms(PoolStats.percentile(stats.handoutTimes(),
                    95)), ms(PoolStats.percentile(stats.handoutTimes(), 100)), stats.waited(), stats.handouts());
            System.out.printf(Locale.ROOT, "  background refill (CREATE DATABASE … TEMPLATE) p50 %s  p95 %s over %d%n",
                    ms(PoolStats.percentile(refills, 50)), ms(PoolStats.percentile(refills, 95)), refills.size());
        }
    }

    private static void runTest(FixturePool pool, int testMs) throws Exception {
        long t = System.nanoTime();
        try (FixtureDatabase db = pool.take();
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.spec().jdbcProperties());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM rental")) {
            rs.next();
            long rest = testMs - (System.nanoTime() - t) / 1_000_000;
            if (rest > 0) {
                Thread.sleep(rest);
            }
        }
    }

    private static void onDemand(PostgresServer a, ConnectionSpec pagila, int rounds) throws Exception {
        String psql = a.binDirectory().map(d -> d.resolve("psql").toString()).orElse("psql");
        List<Double> ours = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        // Two rounds first, timed by nobody: the library runs in a JVM that has seen the path before, as in a test
        // suite's second clone, where psql is compiled ahead of time.
        for (int warm = 1; warm <= 2; warm++) {
            DatabaseCopy.from(pagila).to(pagila.withDatabase("od_warm_" + warm)).run();
            a.execute("postgres", "DROP DATABASE od_warm_" + warm);
        }
        for (int round = 1; round <= rounds; round++) {
            long t = System.nanoTime();
            CopyReport report = DatabaseCopy.from(pagila).to(pagila.withDatabase("od_" + round)).run();
            ours.add(Bench.seconds(t) * 1000);
            if (report.strategy().strategy() != Strategy.TEMPLATE) {
                throw new IllegalStateException("the fast path was not taken: " + report.strategy());
            }
            t = System.nanoTime();
            Bench.run(List.of(psql, "-X", "-q", "-h", a.host(), "-p", Integer.toString(a.port()), "-U", a.user(),
                    "-d", "postgres", "-c", "CREATE DATABASE bare_" + round + " TEMPLATE pagila STRATEGY FILE_COPY"),
                    Duration.ofMinutes(1));
            bare.add(Bench.seconds(t) * 1000);
            a.execute("postgres", "DROP DATABASE od_" + round);
            a.execute("postgres", "DROP DATABASE bare_" + round);
            System.out.printf(Locale.ROOT, "on demand round %d: library %.1f ms, psql %.1f ms%n", round,
                    ours.get(round - 1), bare.get(round - 1));
        }
        double o = Bench.median(ours);
        double p = Bench.median(bare);
        System.out.printf(Locale.ROOT, "on demand: library fast path median %.1f ms, bare psql CREATE DATABASE … "
                + "TEMPLATE median %.1f ms: ratio %.2f×%n", o, p, o / p);
    }

    private static void streamed(ConnectionSpec pagila, PostgresServer b, int rounds) {
        List<Double> times = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            long t = System.nanoTime();
            CopyReport report = DatabaseCopy.from(pagila).to(Bench.spec(b, "st_" + round)).run();
            times.add(Bench.seconds(t));
            System.out.printf(Locale.ROOT, "streamed round %d: %.2f s (%s)%n", round, times.get(round - 1),
                    report.strategy().strategy());
            b.execute("postgres", "DROP DATABASE st_" + round);
        }
        System.out.printf(Locale.ROOT, "streamed clone of pagila into another server, end to end: median %.2f s%n",
                Bench.median(times));
    }

    private static String ms(Duration d) {
        return String.format(Locale.ROOT, "%.2f ms", d.toNanos() / 1e6);
    }
}
