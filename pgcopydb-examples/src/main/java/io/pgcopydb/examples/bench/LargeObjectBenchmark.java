package io.pgcopydb.examples.bench;

import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyReport;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.StepTiming;
import io.pgcopydb.testkit.server.LocalPostgres;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies a database of many small large objects between two throwaway local servers once per
 * {@code largeObjectJobs} value and prints the wall clock of the large object step for each.
 *
 * <pre>
 * java -cp pgcopydb-examples/target/pgcopydb-examples.jar io.pgcopydb.examples.bench.LargeObjectBenchmark \
 *      [--count 5000] [--size 0] [--jobs 1,2,4] [--rounds 3]
 * </pre>
 *
 * The source holds {@code --count} large objects of about 20 bytes each ({@code repeat(n::text, 10)}), plus
 * {@code --size} extra bytes each when given. Each copy goes into a fresh empty database on the target server; the
 * rounds interleave the job counts so that a warming cache favours none of them. The step time is the one the
 * listener receives with {@code largeObjectsFinished}; the report's {@code Large Objects (cumulative)} line is
 * printed next to it, with the whole copy's wall clock (which also restores one pre-data entry per object).
 */
public final class LargeObjectBenchmark {
    private LargeObjectBenchmark() {
    }

    /**
     * Runs the benchmark and prints the large object step's wall clock per job count.
     *
     * @param args options, as in the class comment
     * @throws Exception when a server, the load or a copy fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Bench.options(args, Set.of("--count", "--size", "--jobs", "--rounds"), Set.of(),
                "--count N, --size BYTES, --jobs 1,2,4, --rounds N");
        int count = Integer.parseInt(opts.getOrDefault("--count", "5000"));
        int size = Integer.parseInt(opts.getOrDefault("--size", "0"));
        int rounds = Integer.parseInt(opts.getOrDefault("--rounds", "3"));
        int[] jobs = Arrays.stream(opts.getOrDefault("--jobs", "1,2,4").split(",")).map(String::strip)
                .mapToInt(Integer::parseInt).toArray();

        try (LocalPostgres source = LocalPostgres.start(); LocalPostgres target = LocalPostgres.start()) {
            source.createDatabase("bench");
            TestDatabase src = new TestDatabase(source, "bench");
            long t0 = System.nanoTime();
            src.execute("SELECT lo_from_bytea(0, convert_to(repeat(g::text, 10), 'UTF8')"
                    + (size > 0 ? " || decode(repeat(md5(g::text), " + (size + 15) / 16 + "), 'hex')" : "")
                    + ") FROM generate_series(1, " + count + ") g");
            System.out.printf(Locale.ROOT, "source ready in %.1f s: %d large objects, %s%n", Bench.seconds(t0), count,
                    src.queryForString("SELECT pg_size_pretty(pg_total_relation_size('pg_largeobject'))"));

            Map<Integer, List<double[]>> results = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (int j : jobs) {
                    double[] r = timeCopy(source, target, j, "t_lo_" + j + "_" + round);
                    results.computeIfAbsent(j, k -> new ArrayList<>()).add(r);
                    System.out.printf(Locale.ROOT, "round %d  largeObjectJobs %d: large object step %.3f s "
                            + "(report: %.3f s), whole copy %.2f s%n", round, j, r[0], r[1], r[2]);
                }
            }
            System.out.printf(Locale.ROOT, "%n%d large objects, %d rounds, max heap %d MB, %d CPUs; median of rounds:%n",
                    count, rounds, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
            results.forEach((j, rs) -> System.out.printf(Locale.ROOT,
                    "largeObjectJobs %-3d large object step %7.3f s   whole copy %6.2f s%n", j, median(rs, 0),
                    median(rs, 2)));
        }
    }

    /** Returns {large object step by the listener, the report's step line, the whole copy}, in seconds. */
    private static double[] timeCopy(PostgresServer source, PostgresServer target, int jobs, String db) {
        target.createDatabase(db);
        AtomicReference<Duration> step = new AtomicReference<>(Duration.ZERO);
        CopyListener listener = new CopyListener() {
            @Override
            public void largeObjectsFinished(long count, long bytes, Duration duration) {
                step.set(duration);
            }
        };
        long t = System.nanoTime();
        CopyReport report = DatabaseCopy.from(Bench.spec(source, "bench")).to(Bench.spec(target, db)).largeObjectJobs(jobs)
                .listener(listener).run();
        double whole = Bench.seconds(t);
        double reported = report.steps().stream().filter(s -> s.label().startsWith("Large Objects"))
                .map(StepTiming::duration).findFirst().orElse(Duration.ZERO).toNanos() / 1e9;
        target.dropDatabase(db);
        return new double[] {step.get().toNanos() / 1e9, reported, whole};
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

}
