package io.pgcopydb;

import io.pgcopydb.testkit.server.TestDatabase;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A write load on a source being followed: multi-statement transactions of inserts, updates that touch a TOASTed
 * column and updates that leave it alone, deletes and a TRUNCATE now and then; every transaction also writes its
 * id into {@code public.ledger}, so the target proves none was applied twice or lost.
 */
final class FollowLoad implements AutoCloseable {
    private final TestDatabase source;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger transactions = new AtomicInteger();
    private final Thread thread;
    private volatile RuntimeException failure;

    private FollowLoad(TestDatabase source) {
        this.source = source;
        this.thread = new Thread(this::run, "follow-load");
    }

    /** Creates the load's tables (ledger, TOASTed notes, scratch) on {@code source}. */
    static void createTables(TestDatabase source) {
        source.execute("""
                CREATE TABLE public.ledger (txid bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
                CREATE TABLE public.notes (id int PRIMARY KEY, n int NOT NULL, body text NOT NULL);
                ALTER TABLE public.notes ALTER body SET STORAGE EXTERNAL;
                INSERT INTO public.notes SELECT g, 0, repeat(md5(g::text), 300) FROM generate_series(1, 20) g;
                CREATE TABLE public.scratch (id serial PRIMARY KEY, v double precision, d numeric, b bytea);
                INSERT INTO public.scratch (v, d, b) SELECT random(), g / 7.0, decode(md5(g::text), 'hex')
                FROM generate_series(1, 100) g;
                """);
    }

    /** Starts writing on a thread of its own. */
    static FollowLoad start(TestDatabase source) {
        FollowLoad load = new FollowLoad(source);
        load.thread.start();
        return load;
    }

    private void run() {
        try {
            for (int i = 1; !stopping.get(); i++) {
                source.execute(transaction(i));
                transactions.incrementAndGet();
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private static String transaction(int i) {
        String ledger = "INSERT INTO public.ledger (txid) VALUES (txid_current()); ";
        StringBuilder sql = new StringBuilder("BEGIN; ").append(ledger);
        switch (i % 6) {
            case 0 -> sql.append("INSERT INTO public.scratch (v, d, b) VALUES (1.0 / ").append(i)
                    .append(", ").append(i).append(" / 3.0, '\\x00ff'); DELETE FROM public.scratch WHERE id = ")
                    .append("(SELECT min(id) FROM public.scratch); ");
            case 1 -> sql.append("UPDATE public.notes SET n = n + 1 WHERE id = ").append(i % 20 + 1).append("; ");
            case 2 -> sql.append("UPDATE public.notes SET body = repeat(md5('").append(i).append("'), 300) WHERE id = ")
                    .append(i % 20 + 1).append("; ");
            case 3 -> sql.append("INSERT INTO public.scratch (v, d, b) SELECT random(), g * 1.5, NULL ")
                    .append("FROM generate_series(1, 20) g; UPDATE public.scratch SET v = v * 2 WHERE id % 3 = 0; ");
            case 4 -> sql.append(i % 60 == 4 ? "TRUNCATE public.scratch; " : "DELETE FROM public.scratch WHERE id % 5 = 0; ");
            default -> sql.append("UPDATE public.notes SET n = n - 1, body = body || 'x' WHERE id = ")
                    .append(i % 20 + 1).append("; ");
        }
        return sql.append("COMMIT;").toString();
    }

    /** How many transactions committed so far. */
    int transactions() {
        return transactions.get();
    }

    /** Stops writing and waits for the last transaction; rethrows a failure of the load. */
    @Override
    public void close() throws InterruptedException {
        stopping.set(true);
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }
}
