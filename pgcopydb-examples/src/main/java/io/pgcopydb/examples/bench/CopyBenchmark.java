package io.pgcopydb.examples.bench;

import io.pgcopydb.CopyReport;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.testkit.sample.SampleDatabase;
import io.pgcopydb.testkit.server.LocalPostgres;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Copies one database between two throwaway local servers three ways and prints the wall clock of each:
 * this library, {@code pg_dump -Fd -j N} + {@code pg_restore -j N}, and pgcopydb when it is on the PATH.
 *
 * <pre>
 * java -Xmx128m -cp pgcopydb-examples/target/pgcopydb-examples.jar io.pgcopydb.examples.bench.CopyBenchmark \
 *      [--rows 5000000] [--sample-scale 0] [--jobs 4] [--skip-baselines]
 * </pre>
 *
 * The source holds one table {@code big} of {@code --rows} rows (about 93 bytes of COPY text each, so 5 million
 * rows is about 465 MB) with a primary key and a secondary index, plus the generated shop database at
 * {@code --sample-scale} when it is above 0. Each run copies into a fresh empty database on the target server.
 */
public final class CopyBenchmark {
    /** How long a baseline tool may run. */
    private static final Duration LIMIT = Duration.ofHours(1);

    private CopyBenchmark() {
    }

    /**
     * Runs the benchmark and prints the wall clocks.
     *
     * @param args options, as in the class comment
     * @throws Exception when a server, a load or a baseline tool fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Bench.options(args, Set.of("--rows", "--sample-scale", "--jobs", "--split-bytes"),
                Set.of("--skip-baselines"), "--rows N, --sample-scale S, --jobs N, --split-bytes B, --skip-baselines");
        long rows = Long.parseLong(opts.getOrDefault("--rows", "5000000"));
        double scale = Double.parseDouble(opts.getOrDefault("--sample-scale", "0"));
        int jobs = Integer.parseInt(opts.getOrDefault("--jobs", "4"));
        boolean baselines = !opts.containsKey("--skip-baselines");
        // Same-table concurrency for both tools: tables larger than this many bytes are split (0: never).
        long split = Long.parseLong(opts.getOrDefault("--split-bytes", "0"));

        try (LocalPostgres source = LocalPostgres.start(); LocalPostgres target = LocalPostgres.start()) {
            source.createDatabase("bench");
            TestDatabase src = new TestDatabase(source, "bench");
            long t0 = System.nanoTime();
            src.execute("CREATE TABLE big (id bigint PRIMARY KEY, customer_id int NOT NULL, amount numeric(12,2),"
                    + " created_at timestamptz, note text);"
                    + "INSERT INTO big SELECT g, ((g::bigint * 7919) % 100000)::int, (g % 100000) / 100.0,"
                    + " timestamptz '2025-01-01 00:00:00+00' + g * interval '1 second', md5(g::text)"
                    + " FROM generate_series(1, " + rows + ") g;"
                    + "CREATE INDEX big_customer ON big (customer_id)");
            src.execute("VACUUM ANALYZE big");
            if (scale > 0) {
                src.load(SampleDatabase.of(scale));
            }
            System.out.printf(Locale.ROOT, "source ready in %.1f s: %s%n", Bench.seconds(t0),
                    src.queryForString("SELECT pg_size_pretty(pg_database_size(current_database()))"));

            Map<String, Double> results = new LinkedHashMap<>();
            results.put("pgcopydb-jvm (jobs " + jobs + (split > 0 ? ", split > " + split + " B" : "") + ")",
                    timeLibrary(source, target, jobs, split, "t_lib"));
            if (baselines) {
                results.put("pg_dump -Fd -j" + jobs + " + pg_restore -j" + jobs, timeDumpRestore(source, target, jobs));
                findOnPath("pgcopydb").ifPresent(p -> results.put("pgcopydb " + version(p) + " (table/index jobs "
                        + jobs + (split > 0 ? ", split > " + split + " B" : "") + ")",
                        timePgcopydb(p, source, target, jobs, split)));
            }
            System.out.printf(Locale.ROOT, "%nrows=%d sample-scale=%s jobs=%d max-heap=%d MB%n", rows, scale, jobs,
                    Runtime.getRuntime().maxMemory() >> 20);
            results.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-45s %8.2f s%n", k, v));
        }
    }

    private static double timeLibrary(PostgresServer source, PostgresServer target, int jobs, long split,
            String db) {
        target.createDatabase(db);
        long t = System.nanoTime();
        CopyReport report = DatabaseCopy.from(Bench.spec(source, "bench")).to(Bench.spec(target, db)).jobs(jobs).indexJobs(jobs)
                .splitTablesLargerThan(split).run();
        double s = Bench.seconds(t);
        System.out.println(report.summaryTable());
        System.out.println(report.stepTable());
        return s;
    }

    private static double timeDumpRestore(PostgresServer source, PostgresServer target, int jobs) throws Exception {
        target.createDatabase("t_dump");
        Path dir = Files.createTempDirectory("pgcopydb-bench-dump-");
        try {
            long t = System.nanoTime();
            Bench.run(List.of(tool(source, "pg_dump"), "-Fd", "-j", Integer.toString(jobs), "-f",
                    dir.resolve("d").toString(), "-h", source.host(), "-p", Integer.toString(source.port()), "-U",
                    source.user(), "bench"), LIMIT);
            Bench.run(List.of(tool(source, "pg_restore"), "-j", Integer.toString(jobs), "-h", target.host(), "-p",
                    Integer.toString(target.port()), "-U", target.user(), "-d", "t_dump",
                    dir.resolve("d").toString()), LIMIT);
            return Bench.seconds(t);
        } finally {
            Bench.run(List.of("rm", "-rf", dir.toString()), LIMIT);
        }
    }

    private static double timePgcopydb(Path pgcopydb, PostgresServer source, PostgresServer target, int jobs,
            long split) {
        try {
            target.createDatabase("t_pgcopydb");
            Path dir = Files.createTempDirectory("pgcopydb-bench-c-");
            long t = System.nanoTime();
            List<String> command = new java.util.ArrayList<>(List.of(pgcopydb.toString(), "clone", "--source",
                    source.uri("bench"), "--target", target.uri("t_pgcopydb"), "--table-jobs", Integer.toString(jobs),
                    "--index-jobs", Integer.toString(jobs), "--dir", dir.resolve("w").toString()));
            if (split > 0) {
                command.addAll(List.of("--split-tables-larger-than", Long.toString(split)));
            }
            Bench.run(command, LIMIT);
            double s = Bench.seconds(t);
            Bench.run(List.of("rm", "-rf", dir.toString()), LIMIT);
            return s;
        } catch (Exception e) {
            System.out.println("pgcopydb failed: " + e.getMessage());
            return Double.NaN;
        }
    }

    private static String tool(PostgresServer server, String name) {
        return server.binDirectory().map(d -> d.resolve(name).toString()).orElse(name);
    }

    private static String version(Path pgcopydb) {
        try {
            Process p = new ProcessBuilder(pgcopydb.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return out.lines().filter(l -> l.contains("pgcopydb")).findFirst().orElse(out).replaceAll(".*pgcopydb ", "");
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private static Optional<Path> findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

}
