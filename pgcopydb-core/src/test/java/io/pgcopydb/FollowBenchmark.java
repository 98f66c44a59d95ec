package io.pgcopydb;

import io.pgcopydb.internal.follow.HeapSampler;
import io.pgcopydb.testkit.server.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The live follow's benchmark, not a test: two throwaway servers, {@code clone --follow} of a small table, then a
 * paced load of one-row autocommit INSERTs on the source (N client threads, a target total rate, a fixed time),
 * each row's lag measured from its source commit ({@code pg_xact_commit_timestamp(xmin)}, the source runs with
 * {@code track_commit_timestamp}) to the commit of the target transaction that applied it (a deferred constraint
 * trigger on the target records {@code clock_timestamp()} once per target transaction, as that transaction
 * commits — the applier may group several source transactions into one). Both servers are on this machine: one
 * clock. Then one large INSERT in a single transaction, applied while the heap is sampled. Run it once, with a small
 * heap:
 *
 * <pre>
 * java -Xmx128m [-Dbench.synchronousCommit=on] \
 *     -cp core/target/classes:core/target/test-classes:testkit/target/classes:$(deps) \
 *     io.pgcopydb.FollowBenchmark [rates, default 5000,10000] [seconds per rate, default 60] [client threads,
 *     default 8] [large rows, 5000000]
 * </pre>
 */
public final class FollowBenchmark {
    private static final String DB = "bench";
    private static HeapSampler heap;
    /**
     * The load's {@code synchronous_commit}: the test servers' {@code off} by default, so a commit reaches the
     * walsender (which decodes flushed WAL only) when the WAL writer flushes it, within {@code wal_writer_delay}.
     */
    private static final String SYNCHRONOUS_COMMIT = System.getProperty("bench.synchronousCommit", "off");

    private FollowBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] rates = Arrays.stream((args.length > 0 ? args[0] : "5000,10000").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        long bigRows = args.length > 3 ? Long.parseLong(args[3]) : 5_000_000L;
        heap = HeapSampler.start();
        System.out.println("load average at start: " + Files.readString(Path.of("/proc/loadavg")).strip());
        Path dir = Files.createTempDirectory("follow-bench-");
        List<String> table = new ArrayList<>();
        try (LocalPostgres src = LocalPostgres.start(); LocalPostgres tgt = LocalPostgres.start()) {
            // Commit timestamps on the source: the lag starts at each row's own commit.
            src.execute(src.maintenanceDatabase(), "ALTER SYSTEM SET track_commit_timestamp = on");
            src.crash();
            src.startAgain();
            src.createDatabase(DB);
            tgt.createDatabase(DB);
            src.execute(DB, "CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT "
                    + "clock_timestamp(), payload text NOT NULL); CREATE TABLE big (id bigint PRIMARY KEY, a text, "
                    + "b numeric); INSERT INTO events (id, payload) SELECT -g, md5(g::text) FROM generate_series(1, "
                    + "10000) g");
            System.out.printf("source %s, target %s, -Xmx%d MB, %d cores, work directory %s, the load's "
                    + "synchronous_commit %s%n", src, tgt, Runtime.getRuntime().maxMemory() >> 20,
                    Runtime.getRuntime().availableProcessors(), dir, SYNCHRONOUS_COMMIT);

            Monitor monitor = new Monitor(src, tgt);
            FollowBuilder follow = DatabaseCopy.from(src.uri(DB)).to(tgt.uri(DB)).workDirectory(dir).follow()
                    .listener(monitor::progress);
            CompletableFuture<FollowReport> running = CompletableFuture.supplyAsync(follow::run);
            Path copyDone = dir.resolve("cdc").resolve("copy-done");
            while (!Files.exists(copyDone)) {
                if (running.isDone()) {
                    running.get();
                    throw new IllegalStateException("the follow ended before its copy was done");
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            // Target only: the time each target transaction commits, recorded by its first deferred trigger call.
            tgt.execute(DB, """
                    CREATE TABLE landed (xid bigint PRIMARY KEY, at timestamptz NOT NULL);
                    CREATE FUNCTION landed() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF current_setting('bench.xid', true) IS DISTINCT FROM txid_current()::text THEN
                        PERFORM set_config('bench.xid', txid_current()::text, true);
                        INSERT INTO public.landed VALUES (txid_current(), clock_timestamp());
                      END IF;
                      RETURN NULL;
                    END $$;
                    CREATE CONSTRAINT TRIGGER landed AFTER INSERT ON events DEFERRABLE INITIALLY DEFERRED
                      FOR EACH ROW EXECUTE FUNCTION landed();
                    """);
            monitor.start();
            long nextId = 1;
            for (int rate : rates) {
                long[] window = load(src, rate, seconds, threads, nextId);
                long drained = awaitMarker(src, tgt, -1_000_000L - rate, running);
                table.add(measure(src, tgt, rate, threads, window, drained));
                nextId = window[1];
            }

            heap.reset();
            long before = System.nanoTime();
            src.execute(DB, "INSERT INTO big SELECT g, md5(g::text), g / 7.0 FROM generate_series(1, " + bigRows
                    + ") g");
            double inserted = (System.nanoTime() - before) / 1e9;
            long committed = longQuery(src, "SELECT (extract(epoch FROM max(pg_xact_commit_timestamp(xmin))) * 1e6)"
                    + "::bigint FROM big WHERE id = 1");
            long applied = awaitMarker(src, tgt, -3_000_000L, running);
            table.add(String.format(Locale.ROOT, "1 tx of %,d rows: source INSERT %.1f s; source commit -> "
                    + "applied on the target (a marker row committed just after it) %.1f s = %,.0f rows/s; peak heap"
                    + " %d MB of %d MB", bigRows, inserted, (applied - committed) / 1e6, bigRows / ((applied
                    - committed) / 1e6), heap.peakBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20));

            follow.setEndposToCurrent();
            FollowReport report = running.get(10, TimeUnit.MINUTES);
            monitor.stop();
            for (String t : new String[] {"events", "big"}) {
                long s = longQuery(src, "SELECT count(*) FROM " + t);
                long g = longQuery(tgt, "SELECT count(*) FROM " + t);
                if (s != g) {
                    throw new IllegalStateException(t + ": the source has " + s + " rows, the target " + g);
                }
                table.add(String.format(Locale.ROOT, "%s: %,d rows on the source and on the target", t, s));
            }
            table.add("follow ended at " + report.appliedUpTo() + " (endpos " + report.endpos() + "), dropped "
                    + report.dropped() + ", in " + report.elapsed().toSeconds() + " s");
            System.out.println();
            System.out.println("== follow benchmark ==");
            table.forEach(System.out::println);
            System.out.println("load average at end: " + Files.readString(Path.of("/proc/loadavg")).strip());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * {@code threads} clients insert one row per autocommit transaction, paced to {@code rate} rows/s in total
     * (a client behind its schedule catches up), for {@code seconds}. Returns the ids used: {@code [from, to)}.
     */
    private static long[] load(LocalPostgres src, int rate, int seconds, int threads, long from) throws Exception {
        AtomicLong ids = new AtomicLong(from);
        long interval = TimeUnit.SECONDS.toNanos(1) * threads / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> clients = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            long offset = interval * t / threads;
            clients.add(new Thread(() -> {
                try (Connection c = src.connect(DB);
                        PreparedStatement s = c.prepareStatement("INSERT INTO events (id, payload) VALUES (?, ?)")) {
                    c.createStatement().execute("SET synchronous_commit = " + SYNCHRONOUS_COMMIT);
                    for (long k = 0; ; k++) {
                        long due = start + offset + k * interval;
                        if (due >= end) {
                            return;
                        }
                        LockSupport.parkNanos(due - System.nanoTime());
                        long id = ids.getAndIncrement();
                        s.setLong(1, id);
                        s.setString(2, "payload of event " + id + " written by the benchmark's load generator");
                        s.executeUpdate();
                    }
                } catch (SQLException e) {
                    failures.add(e);
                }
            }, "bench-client-" + t));
        }
        clients.forEach(Thread::start);
        for (Thread c : clients) {
            c.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a client failed", failures.get(0));
        }
        return new long[] {from, ids.get()};
    }

    /** Inserts row {@code id} on the source and waits for it on the target; returns when it landed (µs). */
    private static long awaitMarker(LocalPostgres src, LocalPostgres tgt, long id, CompletableFuture<?> follow)
            throws Exception {
        src.execute(DB, "INSERT INTO events (id, payload) VALUES (" + id + ", 'marker')");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (System.nanoTime() < deadline) {
            String at = tgt.queryForString(DB, "SELECT (extract(epoch FROM l.at) * 1e6)::bigint FROM events e JOIN "
                    + "landed l ON l.xid = e.xmin::text::bigint WHERE e.id = " + id);
            if (at != null) {
                return Long.parseLong(at);
            }
            if (follow.isDone()) {
                follow.get();
                throw new IllegalStateException("the follow ended before marker " + id + " was applied");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("marker " + id + " not applied within 15 minutes");
    }

    /** One line of figures for the rows of {@code window}, their source commits and their target commits. */
    private static String measure(LocalPostgres src, LocalPostgres tgt, int rate, int threads, long[] window,
            long drained) throws SQLException {
        int n = (int) (window[1] - window[0]);
        long[] committed = times(src, "SELECT id, (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1e6)::bigint "
                + "FROM events WHERE id >= ? AND id < ?", window, n);
        long[] landed = times(tgt, "SELECT e.id, (extract(epoch FROM l.at) * 1e6)::bigint FROM events e JOIN landed l"
                + " ON l.xid = e.xmin::text::bigint WHERE e.id >= ? AND e.id < ?", window, n);
        long first = Arrays.stream(committed).min().orElseThrow();
        long last = Arrays.stream(committed).max().orElseThrow();
        long lastLanded = Arrays.stream(landed).max().orElseThrow();
        long[] lag = new long[n];
        long landedInWindow = 0;
        List<Long> early = new ArrayList<>();
        List<Long> late = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lag[i] = landed[i] - committed[i];
            landedInWindow += landed[i] <= last ? 1 : 0;
            if (committed[i] < first + 10_000_000L) {
                early.add(lag[i]);
            } else if (committed[i] > last - 10_000_000L) {
                late.add(lag[i]);
            }
        }
        Arrays.sort(lag);
        double span = (last - first) / 1e6;
        return String.format(Locale.ROOT, "%,6d rows/s asked, %d clients: source %,d rows in %.1f s = %,.0f rows/s;"
                + " applied during the load %,.0f rows/s, all %,.0f rows/s (last applied %.1f s after the last source"
                + " commit)%n    lag ms  p50 %,.0f  p95 %,.0f  p99 %,.0f  max %,.0f;  first 10 s p50/p99 %,.0f/%,.0f,"
                + " last 10 s p50/p99 %,.0f/%,.0f", rate, threads, n, span, n / span, landedInWindow / span,
                n / ((lastLanded - first) / 1e6), (lastLanded - last) / 1e6, pct(lag, 50), pct(lag, 95), pct(lag, 99),
                lag[n - 1] / 1e3, pct(sorted(early), 50), pct(sorted(early), 99), pct(sorted(late), 50),
                pct(sorted(late), 99)) + String.format(Locale.ROOT, "  (marker landed %.1f s after)",
                (drained - last) / 1e6);
    }

    private static long[] times(LocalPostgres server, String sql, long[] window, int n) throws SQLException {
        long[] t = new long[n];
        Arrays.fill(t, Long.MIN_VALUE);
        try (Connection c = server.connect(DB); PreparedStatement s = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            s.setFetchSize(50_000);
            s.setLong(1, window[0]);
            s.setLong(2, window[1]);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    t[(int) (r.getLong(1) - window[0])] = r.getLong(2);
                }
            }
            c.commit();
        }
        if (Arrays.stream(t).anyMatch(v -> v == Long.MIN_VALUE)) {
            throw new IllegalStateException("a row of " + Arrays.toString(window) + " is missing on " + server);
        }
        return t;
    }

    private static long[] sorted(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static double pct(long[] sortedMicros, int p) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, i)] / 1e3;
    }

    private static long longQuery(LocalPostgres server, String sql) {
        return Long.parseLong(server.queryForString(DB, sql));
    }

    /**
     * Where the time goes, every 5 s: WAL written on the source and not yet confirmed by the receiver (decoding,
     * sending, writing and fsyncing the change log), received and not yet applied, and the follow's own report.
     */
    private static final class Monitor {
        private final LocalPostgres src;
        private final LocalPostgres tgt;
        private final Thread thread;
        private volatile FollowProgress last;

        Monitor(LocalPostgres src, LocalPostgres tgt) {
            this.src = src;
            this.tgt = tgt;
            this.thread = new Thread(this::run, "bench-monitor");
            thread.setDaemon(true);
        }

        void progress(FollowProgress p) {
            last = p;
        }

        void start() {
            thread.start();
        }

        void stop() {
            thread.interrupt();
        }

        private void run() {
            long t0 = System.nanoTime();
            try (Connection s = src.connect(DB); Connection t = tgt.connect(DB)) {
                while (!Thread.currentThread().isInterrupted()) {
                    TimeUnit.SECONDS.sleep(5);
                    long[] wal = new long[3];
                    try (ResultSet r = s.createStatement().executeQuery("SELECT pg_current_wal_lsn() - '0/0', "
                            + "confirmed_flush_lsn - '0/0' FROM pg_replication_slots WHERE slot_name = 'pgcopydb'")) {
                        if (!r.next()) {
                            continue;
                        }
                        wal[0] = r.getLong(1);
                        wal[1] = r.getLong(2);
                    }
                    try (ResultSet r = t.createStatement().executeQuery("SELECT coalesce(pg_replication_origin_"
                            + "progress('pgcopydb', false) - '0/0', 0)")) {
                        r.next();
                        wal[2] = r.getLong(1);
                    }
                    FollowProgress p = last;
                    System.out.printf(Locale.ROOT, "[%4d s] not yet received %,7d kB, received not applied %,7d kB;"
                            + " follow: lag %s, apply %,d kB/s, change log %,d kB; heap peak %d MB; load %s%n",
                            (System.nanoTime() - t0) / 1_000_000_000L, (wal[0] - wal[1]) >> 10,
                            Math.max(0, wal[1] - wal[2]) >> 10, p == null ? "-" : p.lag(),
                            p == null ? 0 : p.applyBytesPerSecond() >> 10, p == null ? 0 : p.changeLogBytes() >> 10,
                            heap.peakBytes() >> 20, Files.readString(Path.of("/proc/loadavg")).strip());
                }
            } catch (InterruptedException e) {
                // stopped
            } catch (Exception e) {
                System.out.println("monitor stopped: " + e);
            }
        }
    }
}
