package io.pgcopydb.internal.follow;

import io.pgcopydb.testkit.server.LocalPostgres;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * The applier's benchmark, not a test: a throwaway server, a source and a target database, real pgoutput changes
 * spooled to a file first (so only the apply is timed), then applied. Run it with a small heap to see the large
 * transaction stream through:
 *
 * <pre>
 * java -Xmx64m -cp core/target/classes:core/target/test-classes:$(deps) io.pgcopydb.internal.follow.ApplyBenchmark [rows of the large transaction]
 * </pre>
 */
public final class ApplyBenchmark {
    private static final String SOURCE = "bench_src";
    private static final String TARGET = "bench_tgt";

    private ApplyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long bigRows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        HeapSampler heap = HeapSampler.start();
        try (LocalPostgres server = LocalPostgres.start()) {
            String ddl = "CREATE TABLE small (id bigint PRIMARY KEY, v text, n int);"
                    + " CREATE TABLE big (id bigint PRIMARY KEY, a text, b numeric, c timestamptz)";
            for (String db : new String[] {SOURCE, TARGET}) {
                server.createDatabase(db);
                server.execute(db, ddl);
            }
            server.execute(SOURCE, "CREATE PUBLICATION pub FOR ALL TABLES");
            server.queryForString(SOURCE, "SELECT pg_create_logical_replication_slot('bench', 'pgoutput')");
            server.queryForString(TARGET, "SELECT pg_replication_origin_create('bench')");

            System.out.printf("apply benchmark on %s, -Xmx%d MB%n", server, Runtime.getRuntime().maxMemory() >> 20);
            for (boolean backlog : new boolean[] {false, true}) {
                int from = backlog ? 20_001 : 1;
                String mode = backlog ? " (backlog)" : " (live)";
                run(server, "10,000 tx of 1 inserted row" + mode, 10_000, backlog, """
                        DO $$ BEGIN FOR i IN %d..%d LOOP
                          INSERT INTO small VALUES (i, md5(i::text), i); COMMIT; END LOOP; END $$""".formatted(
                        from, from + 9_999));
                run(server, "10,000 tx of 1 updated row" + mode, 10_000, backlog, """
                        DO $$ BEGIN FOR i IN %d..%d LOOP
                          UPDATE small SET n = n + 1 WHERE id = i; COMMIT; END LOOP; END $$""".formatted(
                        from, from + 9_999));
                run(server, "100 tx of 1,000 inserted rows" + mode, 100_000, backlog, """
                        DO $$ BEGIN FOR t IN 0..99 LOOP
                          INSERT INTO small SELECT g, md5(g::text), g FROM generate_series(%d + t * 1000,
                            %d + t * 1000 + 999) g;
                          COMMIT; END LOOP; END $$""".formatted(from * 10 + 100_000, from * 10 + 100_000));
            }
            heap.reset();
            run(server, String.format(Locale.ROOT, "1 tx of %,d inserted rows", bigRows), bigRows, true,
                    "INSERT INTO big SELECT g, md5(g::text), g / 7.0, now() FROM generate_series(1, " + bigRows + ") g");
            System.out.printf("peak heap used during the large transaction: %d MB of %d MB%n", heap.peakBytes() >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
            long target = Long.parseLong(server.queryForString(TARGET, "SELECT count(*) FROM big"));
            if (target != bigRows) {
                throw new IllegalStateException("the target has " + target + " rows of big, expected " + bigRows);
            }
            server.queryForString(SOURCE, "SELECT pg_drop_replication_slot('bench')");
        }
    }

    private static void run(LocalPostgres server, String name, long rows, boolean backlog, String load)
            throws Exception {
        server.execute(SOURCE, load);
        Path spool = Files.createTempFile("apply-bench-", ".changes");
        try {
            long spooled = spool(server, spool);
            long start = System.nanoTime();
            long transactions;
            try (PgOutputApplier applier = new PgOutputApplier(server.connect(TARGET), "bench");
                    SpoolReader changes = new SpoolReader(spool)) {
                // Live: a plain iterator, one target transaction per source transaction. Backlog: all at hand.
                applier.apply(backlog ? changes : plain(changes), Long.MAX_VALUE);
                applier.appliedUpTo();
                transactions = applier.statistics().transactions();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%-44s %,9d messages  %,7d tx  %7.2f s  %,9.0f rows/s  %,8.0f tx/s%n", name,
                    spooled, transactions, seconds, rows / seconds, transactions / seconds);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private static Iterator<StoredChange> plain(Iterator<StoredChange> changes) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return changes.hasNext();
            }

            @Override
            public StoredChange next() {
                return changes.next();
            }
        };
    }

    /** Reads the slot's changes into a file, a fetch at a time (never all in the heap). */
    private static long spool(LocalPostgres server, Path file) throws SQLException, IOException {
        server.execute(SOURCE, "SET synchronous_commit = on; CREATE TEMPORARY TABLE flush ()");
        long n = 0;
        try (Connection c = server.connect(SOURCE);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(10_000);
                try (ResultSet r = s.executeQuery("SELECT lsn::text, data FROM pg_logical_slot_get_binary_changes("
                        + "'bench', NULL, NULL, 'proto_version', '1', 'publication_names', 'pub')")) {
                    while (r.next()) {
                        byte[] data = r.getBytes(2);
                        out.writeLong(Lsn.parse(r.getString(1)));
                        out.writeInt(data.length);
                        out.write(data);
                        n++;
                    }
                }
            }
            c.commit();
        }
        return n;
    }

    /** The spooled changes, read back one at a time; all at hand, as the change log's are while catching up. */
    private static final class SpoolReader implements ReadyChanges, AutoCloseable {
        private final DataInputStream in;
        private StoredChange next;

        SpoolReader(Path file) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    long lsn = in.readLong();
                    byte[] data = new byte[in.readInt()];
                    in.readFully(data);
                    next = new StoredChange(lsn, data);
                } catch (EOFException e) {
                    return false;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return true;
        }

        @Override
        public StoredChange next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            StoredChange c = next;
            next = null;
            return c;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
