package io.pgcopydb.internal.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volume through the receiver: 20,000 one-row transactions and one 500,000-row transaction arrive whole in the
 * change log, across segments, with the receiver's heap bounded by its write buffer (the big transaction is
 * written as it streams, never held). Logs the rates it saw; asserts no timing.
 */
@ExtendWith(PostgresPairExtension.class)
class ReceiveVolumeIT {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiveVolumeIT.class);

    @Test
    void manySmallTransactionsAndOneLargeArriveWhole(DatabasePair pair, @TempDir Path dir) throws Exception {
        ConnectionSpec source = ConnectionSpec.parse(pair.source().uri());
        ConnectionSpec target = ConnectionSpec.parse(pair.target().uri());
        FollowNames names = new FollowNames("volume_it", "volume_it", "volume_it");
        pair.source().execute("CREATE TABLE public.t (id bigint PRIMARY KEY, v text)");
        ReplicationSetup.create(source, target, names, List.of(new QualifiedName("public", "t")), false).close();
        try (ChangeLog log = ChangeLog.open(dir, 1 << 20, 1L << 34)) {
            ChangeReceiver receiver = new ChangeReceiver(source, names, log);
            receiver.start();
            long started = System.nanoTime();
            pair.source().execute("DO $$ BEGIN FOR i IN 1..20000 LOOP INSERT INTO public.t VALUES (i, 'small ' || i); "
                    + "COMMIT; END LOOP; END $$");
            pair.source().execute("INSERT INTO public.t SELECT g, repeat('x', 40) || g FROM "
                    + "generate_series(100001, 600000) g");
            long written = System.nanoTime();
            long end = Lsn.parse(pair.source().queryForString("SELECT pg_current_wal_insert_lsn()::text"));
            long commits = 0;
            long inserts = 0;
            try (ChangeLogReader reader = log.reader(0, () -> end)) {
                while (reader.hasNext()) {
                    char type = reader.next().type();
                    commits += type == 'C' ? 1 : 0;
                    inserts += type == 'I' ? 1 : 0;
                }
            }
            long received = System.nanoTime();
            receiver.stop();
            assertThat(receiver.failure()).isNull();
            assertThat(commits).isEqualTo(20_001);
            assertThat(inserts).isEqualTo(520_000);
            assertThat(log.segmentFiles()).as("rotated between transactions").hasSizeGreaterThan(1);
            LOG.info("Received 20,000 + 1 transactions (520,000 rows, {} MB of change log) in {} ms, {} ms after the "
                    + "source finished writing ({} ms of writing)", log.diskBytes() >> 20,
                    (received - started) / 1_000_000, (received - written) / 1_000_000,
                    (written - started) / 1_000_000);
        } finally {
            ReplicationObjects.drop(source, target, names);
        }
    }
}
