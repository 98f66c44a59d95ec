package io.pgcopydb.internal.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The receiver: changes made on the source after setup arrive in the change log, in commit order, once. */
@ExtendWith(PostgresPairExtension.class)
class ReceiveIT {

    @Test
    void changesArriveInCommitOrderAndTheSlotNeverConfirmsMoreThanIsOnDisk(DatabasePair pair, @TempDir Path dir)
            throws Exception {
        ConnectionSpec source = ConnectionSpec.parse(pair.source().uri());
        ConnectionSpec target = ConnectionSpec.parse(pair.target().uri());
        FollowNames names = new FollowNames("receive_it", "receive_it", "receive_it");
        pair.source().execute("CREATE TABLE public.t (id int PRIMARY KEY, v text); "
                + "CREATE TABLE public.unpublished (id int PRIMARY KEY)");
        ReplicationSetup.create(source, target, names, List.of(new QualifiedName("public", "t")), false).close();
        try {
            List<StoredChange> first = new ArrayList<>();
            long[] end0 = new long[1];
            try (ChangeLog log = ChangeLog.open(dir, 1 << 20, 1L << 30)) {
                long created = Lsn.parse(pair.source().queryForString("SELECT confirmed_flush_lsn::text FROM "
                        + "pg_replication_slots WHERE slot_name = '" + names.slot() + "'"));
                ChangeReceiver receiver = new ChangeReceiver(source, names, log);
                receiver.start();
                AtomicReference<String> violation = new AtomicReference<>();
                AtomicLong checks = new AtomicLong();
                Thread watcher = watchConfirmedFlush(pair, names, log, created, violation, checks);
                pair.source().execute("INSERT INTO public.t VALUES (1, 'one')");
                pair.source().execute("BEGIN; INSERT INTO public.t VALUES (2, 'two'); "
                        + "INSERT INTO public.unpublished VALUES (1); UPDATE public.t SET v = 'uno' WHERE id = 1; COMMIT");
                pair.source().execute("DELETE FROM public.t WHERE id = 2");
                for (int i = 3; i < 200; i++) {
                    pair.source().execute("INSERT INTO public.t VALUES (" + i + ", 'row " + i + "')");
                }
                long end = Lsn.parse(pair.source().queryForString("SELECT pg_current_wal_insert_lsn()::text"));
                end0[0] = end;
                try (ChangeLogReader reader = log.reader(0, () -> end)) {
                    reader.forEachRemaining(first::add);
                }
                watcher.interrupt();
                watcher.join();
                receiver.stop();
                assertThat(receiver.failure()).isNull();
                assertThat(violation.get()).as("confirmed_flush_lsn past the durable log").isNull();
                assertThat(checks.get()).as("the watcher looked").isPositive();
            }
            List<StoredChange> data = first.stream().filter(c -> c.type() != 'R').toList();
            assertThat(data.subList(0, 10)).extracting(StoredChange::type)
                    .containsExactly('B', 'I', 'C', 'B', 'I', 'U', 'C', 'B', 'D', 'C');
            assertThat(text(data.get(1))).contains("one");
            assertThat(text(data.get(5))).contains("uno");
            assertThat(data.stream().filter(c -> c.type() == 'C')).as("last: %s, end %s, first: %s",
                    data.subList(Math.max(0, data.size() - 6), data.size()).stream().map(ReceiveIT::text).toList(),
                    Lsn.format(end0[0]), data.subList(0, 12)).hasSize(200);
            assertThat(first.stream().filter(c -> c.type() == 'R').findFirst()).as("the relation is described")
                    .hasValueSatisfying(r -> assertThat(text(r)).contains("public", "t"));
            List<Long> commits = data.stream().filter(c -> c.type() == 'C').map(PgOutputMessages::commitEndLsn)
                    .toList();
            assertThat(commits).isSorted().doesNotHaveDuplicates();

            // Received again after a stop: only the later transactions, each once.
            pair.source().execute("INSERT INTO public.t VALUES (1000, 'later')");
            long end = Lsn.parse(pair.source().queryForString("SELECT pg_current_wal_insert_lsn()::text"));
            try (ChangeLog log = ChangeLog.open(dir, 1 << 20, 1L << 30)) {
                ChangeReceiver receiver = new ChangeReceiver(source, names, log);
                receiver.start();
                List<StoredChange> all = new ArrayList<>();
                try (ChangeLogReader reader = log.reader(0, () -> end)) {
                    reader.forEachRemaining(all::add);
                }
                receiver.stop();
                List<StoredChange> again = all.stream().filter(c -> c.type() != 'R').toList();
                assertThat(again.subList(0, data.size())).containsExactlyElementsOf(data);
                assertThat(again.subList(data.size(), again.size())).extracting(StoredChange::type)
                        .containsExactly('B', 'I', 'C');
                assertThat(text(again.get(again.size() - 2))).contains("later");
            }
        } finally {
            ReplicationObjects.drop(source, target, names);
        }
        assertThat(ReplicationObjects.find(source, target, names).none()).isTrue();
    }

    /** Polls the slot: its confirmed position, read before the log's durable one, must never be past it. */
    private static Thread watchConfirmedFlush(DatabasePair pair, FollowNames names, ChangeLog log, long created,
            AtomicReference<String> violation, AtomicLong checks) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                String confirmed = pair.source().queryForString("SELECT confirmed_flush_lsn::text FROM "
                        + "pg_replication_slots WHERE slot_name = '" + names.slot() + "'");
                long durable = Math.max(created, log.durablePosition());
                if (confirmed != null && Lsn.parse(confirmed) > durable) {
                    violation.set("confirmed " + confirmed + " > durable " + Lsn.format(durable));
                }
                checks.incrementAndGet();
                try {
                    TimeUnit.MILLISECONDS.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "confirmed-flush-watcher");
        t.start();
        return t;
    }

    private static String text(StoredChange c) {
        return new String(c.message(), StandardCharsets.ISO_8859_1);
    }
}
