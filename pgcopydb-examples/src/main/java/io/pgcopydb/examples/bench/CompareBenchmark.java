package io.pgcopydb.examples.bench;

import io.pgcopydb.CopyReport;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.compare.TableComparison;
import io.pgcopydb.testkit.server.LocalPostgres;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Times {@code DatabaseCompare.data()} against the copy it checks: builds a database on a throwaway local server,
 * copies it to a second one with the library, then compares the two, and prints both wall clocks and the JVM's
 * peak heap during each.
 *
 * <pre>
 * java -Xmx128m -cp pgcopydb-examples/target/pgcopydb-examples.jar io.pgcopydb.examples.bench.CompareBenchmark \
 *      [--scale 10] [--wide-rows 100000] [--jobs 2] [--runs 3]
 * </pre>
 *
 * <p>The copy and the comparison are timed {@code --runs} times, interleaved (copy, compare, copy, compare, …: the
 * target database is dropped and created again before each copy), and the medians and their ratio are printed,
 * as the machines these run on are shared and noisy.
 *
 * The source is pgbench's ({@code pgbench -i -s N}: about 15 MB per unit of scale, so 100 is about 1.5 GB; when
 * pgbench is not next to the server, the same four tables are generated in SQL) plus a table {@code wide} of
 * {@code --wide-rows} rows mixing text, numeric, timestamptz, jsonb, bytea, float8 and arrays (about 300 bytes of
 * COPY text a row). {@code --scale 80 --wide-rows 1000000} makes a database of about 1.5 GB. Both the copy and the
 * comparison use {@code --jobs} jobs; tables larger than 64 MB are cut in parts by both.
 */
public final class CompareBenchmark {
    private static final long SPLIT = 64L << 20;

    private CompareBenchmark() {
    }

    /**
     * Runs the benchmark and prints the figures.
     *
     * @param args options, as in the class comment
     * @throws Exception when a server, the load, the copy or the comparison fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Bench.options(args, Set.of("--scale", "--wide-rows", "--jobs", "--runs"), Set.of(),
                "--scale N, --wide-rows N, --jobs N, --runs N");
        int scale = Integer.parseInt(opts.getOrDefault("--scale", "10"));
        long wideRows = Long.parseLong(opts.getOrDefault("--wide-rows", "100000"));
        int jobs = Integer.parseInt(opts.getOrDefault("--jobs", "2"));
        int runs = Integer.parseInt(opts.getOrDefault("--runs", "3"));
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be >= 1, was " + runs);
        }

        try (LocalPostgres source = LocalPostgres.start(); LocalPostgres target = LocalPostgres.start()) {
            source.createDatabase("bench");
            TestDatabase src = new TestDatabase(source, "bench");
            long t0 = System.nanoTime();
            load(source, src, scale, wideRows);
            System.out.printf(Locale.ROOT, "source ready in %.1f s: %s%n", Bench.seconds(t0),
                    src.queryForString("SELECT pg_size_pretty(pg_database_size(current_database()))"));

            List<Double> copyTimes = new ArrayList<>();
            List<Double> compareTimes = new ArrayList<>();
            long copyHeap = 0;
            long compareHeap = 0;
            CompareReport report = null;
            for (int run = 1; run <= runs; run++) {
                target.dropDatabase("copy");
                target.createDatabase("copy");
                resetPeakHeap();
                long t1 = System.nanoTime();
                CopyReport copy = DatabaseCopy.from(Bench.spec(source, "bench")).to(Bench.spec(target, "copy")).jobs(jobs)
                        .indexJobs(jobs).splitTablesLargerThan(SPLIT).run();
                copyTimes.add(Bench.seconds(t1));
                copyHeap = Math.max(copyHeap, peakHeap());
                if (run == 1) {
                    System.out.println(copy.summaryTable());
                }

                resetPeakHeap();
                long t2 = System.nanoTime();
                report = DatabaseCompare.of(Bench.spec(source, "bench"), Bench.spec(target, "copy")).jobs(jobs).data();
                compareTimes.add(Bench.seconds(t2));
                compareHeap = Math.max(compareHeap, peakHeap());
                System.out.printf(Locale.ROOT, "run %d: copy %.2f s, compare %.2f s, %s%n", run,
                        copyTimes.get(run - 1), compareTimes.get(run - 1), report.summaryLine());
                if (!report.isIdentical()) {
                    System.out.println(report.toText());
                    System.exit(1);
                }
            }
            System.out.println(report.toText());
            for (TableComparison t : report.tables()) {
                System.out.printf(Locale.ROOT, "  %-28s %,12d rows %8.2f s%n", t.table(), t.sourceRows(),
                        t.duration().toNanos() / 1e9);
            }

            double copySeconds = Bench.median(copyTimes);
            double compareSeconds = Bench.median(compareTimes);
            System.out.printf(Locale.ROOT, "%nscale=%d wide-rows=%d jobs=%d runs=%d source=%s max-heap=%d MB%n", scale,
                    wideRows, jobs, runs,
                    src.queryForString("SELECT pg_size_pretty(pg_database_size(current_database()))"),
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf(Locale.ROOT, "%-34s median %8.2f s %s   peak heap %4d MB%n",
                    "copy (DatabaseCopy, jobs " + jobs + ")", copySeconds, copyTimes, copyHeap >> 20);
            System.out.printf(Locale.ROOT, "%-34s median %8.2f s %s   peak heap %4d MB%n",
                    "compare data (jobs " + jobs + ")", compareSeconds, compareTimes, compareHeap >> 20);
            System.out.printf(Locale.ROOT, "compare / copy = %.2f (medians), %,d rows compared%n",
                    compareSeconds / copySeconds, report.rowsCompared());
        }
    }

    private static void load(PostgresServer source, TestDatabase src, int scale, long wideRows) throws Exception {
        Optional<Path> pgbench = source.binDirectory().map(d -> d.resolve("pgbench")).filter(Files::isExecutable);
        if (pgbench.isPresent()) {
            Bench.run(List.of(pgbench.get().toString(), "-i", "-q", "-s", Integer.toString(scale), "-h", source.host(),
                    "-p", Integer.toString(source.port()), "-U", source.user(), "bench"), Duration.ofHours(2));
        } else {
            // pgbench -i's tables and rows, in SQL.
            src.execute("CREATE TABLE pgbench_branches (bid int PRIMARY KEY, bbalance int, filler char(88));"
                    + "CREATE TABLE pgbench_tellers (tid int PRIMARY KEY, bid int, tbalance int, filler char(84));"
                    + "CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84));"
                    + "CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp,"
                    + " filler char(22));"
                    + "INSERT INTO pgbench_branches SELECT g, 0 FROM generate_series(1, " + scale + ") g;"
                    + "INSERT INTO pgbench_tellers SELECT g, (g - 1) / 10 + 1, 0 FROM generate_series(1, "
                    + 10 * scale + ") g;"
                    + "INSERT INTO pgbench_accounts SELECT g, (g - 1) / 100000 + 1, 0, '' FROM generate_series(1, "
                    + 100000L * scale + ") g");
        }
        src.execute("CREATE TABLE wide (id bigint PRIMARY KEY, title text, body text, amount numeric(14,4),"
                + " at timestamptz, doc jsonb, digest bytea, ratio float8, tags int[]);"
                + "INSERT INTO wide SELECT g, 'title ' || g || ' ''quoted'' é', repeat(md5(g::text), 4),"
                + " g * 1.2345, timestamptz '2024-01-01 00:00+00' + g * interval '1 second',"
                + " jsonb_build_object('id', g, 'name', 'n' || g, 'ok', g % 2 = 0),"
                + " decode(md5(g::text), 'hex'), g / 7.0, ARRAY[g::int % 1000, 2, 3]"
                + " FROM generate_series(1, " + wideRows + ") g");
        src.execute("VACUUM ANALYZE");
    }

    private static void resetPeakHeap() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** The sum of the heap pools' peak use since {@link #resetPeakHeap()}: an upper bound of the peak heap. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

}
