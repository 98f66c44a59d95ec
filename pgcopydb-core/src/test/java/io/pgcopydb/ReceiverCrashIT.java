package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.follow.ChangeLog;
import io.pgcopydb.internal.follow.ChangeLogReader;
import io.pgcopydb.internal.follow.ChangeReceiver;
import io.pgcopydb.internal.follow.FollowNames;
import io.pgcopydb.internal.follow.Lsn;
import io.pgcopydb.internal.follow.ReplicationObjects;
import io.pgcopydb.internal.follow.ReplicationSetup;
import io.pgcopydb.internal.follow.StoredChange;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver killed with SIGKILL at random points while the source commits one row per transaction, then
 * started again on the same change log, five times: in the end the log holds every transaction exactly once, in
 * commit order — a torn tail is cut away, what the slot had not been told is flushed comes again, what it had is
 * never lost.
 */
@ExtendWith(PostgresPairExtension.class)
class ReceiverCrashIT {

    @Test
    void killedFiveTimesTheChangeLogStillHoldsEveryTransactionOnce(DatabasePair pair, @TempDir Path dir)
            throws Exception {
        ConnectionSpec source = ConnectionSpec.parse(pair.source().uri());
        ConnectionSpec target = ConnectionSpec.parse(pair.target().uri());
        FollowNames names = new FollowNames("crash_it", "crash_it", "crash_it");
        pair.source().execute("CREATE TABLE public.t (id int PRIMARY KEY, v text)");
        ReplicationSetup.create(source, target, names, List.of(new QualifiedName("public", "t")), false).close();
        Path log = dir.resolve("changes");
        List<Integer> received = new ArrayList<>();
        AtomicInteger committed = new AtomicInteger();
        try {
            AtomicBoolean stop = new AtomicBoolean();
            Thread load = new Thread(() -> {
                for (int i = 1; !stop.get(); i++) {
                    pair.source().execute("INSERT INTO public.t VALUES (" + i + ", repeat('v', " + (i % 200) + "))");
                    committed.set(i);
                }
            }, "crash-load");
            load.start();
            Random random = new Random(18);
            for (int kill = 0; kill < 5; kill++) {
                long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400 + random.nextInt(1200));
                KilledChild.runUntil(Receiver.class, List.of(pair.source().uri(), log.toString()), Map.of(),
                        lines -> !lines.isEmpty() && System.nanoTime() > at);
            }
            stop.set(true);
            load.join();

            long end = Lsn.parse(pair.source().queryForString("SELECT pg_current_wal_insert_lsn()::text"));
            try (ChangeLog changes = ChangeLog.open(log, 64 << 10, 1L << 30)) {
                ChangeReceiver receiver = new ChangeReceiver(source, names, changes);
                receiver.start();
                try (ChangeLogReader reader = changes.reader(0, () -> end)) {
                    while (reader.hasNext()) {
                        StoredChange c = reader.next();
                        if (c.type() == 'I') {
                            received.add(firstColumn(c));
                        }
                    }
                }
                receiver.stop();
                assertThat(receiver.failure()).isNull();
            }
        } finally {
            ReplicationObjects.drop(source, target, names);
        }
        assertThat(committed.get()).as("the load committed across the kills").isGreaterThan(100);
        assertThat(received).as("every transaction once, in commit order").hasSize(committed.get())
                .isSorted().doesNotHaveDuplicates();
        assertThat(received.get(received.size() - 1)).isEqualTo(committed.get());
    }

    /** The first column of an Insert's new tuple, as text: {@code 'I' relid 'N' ncols 't' len bytes …}. */
    private static int firstColumn(StoredChange insert) {
        ByteBuffer b = ByteBuffer.wrap(insert.message());
        b.position(1 + 4 + 1 + 2);
        assertThat((char) b.get()).isEqualTo('t');
        byte[] text = new byte[b.getInt()];
        b.get(text);
        return Integer.parseInt(new String(text, StandardCharsets.UTF_8));
    }

    /** The receiver in a child JVM: {@code SOURCE LOGDIR}; prints a line once streaming, then runs until killed. */
    static final class Receiver {
        private Receiver() {
        }

        public static void main(String[] args) throws Exception {
            ChangeLog log = ChangeLog.open(Path.of(args[1]), 64 << 10, 1L << 30);
            ChangeReceiver receiver = new ChangeReceiver(ConnectionSpec.parse(args[0]), new FollowNames("crash_it",
                    "crash_it", "crash_it"), log);
            receiver.start();
            System.out.println("receiving");
            KilledChild.blockUntilKilled();
        }
    }
}
