package io.pgcopydb.examples.bench;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.server.PostgresServer;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** What the benchmarks share: their command lines, connections, child processes, clocks and medians. */
final class Bench {
    private Bench() {
    }

    /**
     * The options of a benchmark's command line: {@code --name value} for each of {@code valued}, {@code --name}
     * alone (mapped to {@code "true"}) for each of {@code switches}.
     *
     * @throws IllegalArgumentException naming the argument and {@code usage} for anything else
     */
    static Map<String, String> options(String[] args, Set<String> valued, Set<String> switches, String usage) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (switches.contains(a)) {
                opts.put(a, "true");
            } else if (valued.contains(a) && i + 1 < args.length) {
                opts.put(a, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + a + ": use " + usage);
            }
        }
        return opts;
    }

    /** The connection to database {@code db} of {@code server}, with its credentials. */
    static ConnectionSpec spec(PostgresServer server, String db) {
        return ConnectionSpec.jdbc(server.jdbcUrl(db), server.user(), server.password().orElse(null));
    }

    /** Runs {@code command}, failing with its last line of output when it fails or outlasts {@code limit}. */
    static void run(List<String> command, Duration limit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            throw new IOException(command.get(0) + " failed: " + out.lines().reduce((a, b) -> b).orElse(""));
        }
    }

    /** Seconds since {@code startNanos} ({@link System#nanoTime()}). */
    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
