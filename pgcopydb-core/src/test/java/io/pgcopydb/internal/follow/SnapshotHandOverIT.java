package io.pgcopydb.internal.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.CopyReport;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-over between the copy and the change stream, which the follow's exactness rests on: the copy reads the
 * slot's exported snapshot, so a row written before the slot is in the copy and not in the change log, and a row
 * written after it (during the copy) is in the change log and not in the copy — no gap, no overlap.
 */
@ExtendWith(PostgresPairExtension.class)
class SnapshotHandOverIT {

    @Test
    void whatTheCopyMissesTheChangeLogHasAndNothingTwice(DatabasePair pair, @TempDir Path dir) throws Exception {
        ConnectionSpec source = ConnectionSpec.parse(pair.source().uri());
        ConnectionSpec target = ConnectionSpec.parse(pair.target().uri());
        FollowNames names = new FollowNames("handover_it", "handover_it", "handover_it");
        pair.source().execute("CREATE TABLE public.t (id int PRIMARY KEY, v text); "
                + "INSERT INTO public.t SELECT g, 'before ' || g FROM generate_series(1, 500) g");
        List<StoredChange> changes = new ArrayList<>();
        try (ReplicationSetup setup = ReplicationSetup.create(source, target, names,
                List.of(new QualifiedName("public", "t")), true);
                ChangeLog log = ChangeLog.open(dir.resolve("changes"), 1 << 20, 1L << 30)) {
            assertThat(setup.snapshot()).isPresent();
            ChangeReceiver receiver = new ChangeReceiver(source, names, log);
            receiver.start();
            pair.source().execute("INSERT INTO public.t VALUES (501, 'after the slot'); "
                    + "UPDATE public.t SET v = 'updated after the slot' WHERE id = 1");

            CopyReport copy = DatabaseCopy.from(source).to(target).workDirectory(dir.resolve("copy"))
                    .snapshot(setup.snapshot().get()).run();
            assertThat(copy.succeeded()).isTrue();

            long end = Lsn.parse(pair.source().queryForString("SELECT pg_current_wal_insert_lsn()::text"));
            try (ChangeLogReader reader = log.reader(0, () -> end)) {
                reader.forEachRemaining(changes::add);
            }
            receiver.stop();
            assertThat(receiver.failure()).isNull();
        } finally {
            ReplicationObjects.drop(source, target, names);
        }

        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.t")).as("the copy: rows before the slot")
                .isEqualTo(500);
        assertThat(pair.target().queryForString("SELECT v FROM public.t WHERE id = 1")).isEqualTo("before 1");
        List<String> data = changes.stream().filter(c -> c.type() == 'I' || c.type() == 'U')
                .map(c -> new String(c.message(), StandardCharsets.ISO_8859_1)).toList();
        assertThat(data).as("the change log: exactly what came after the slot").hasSize(2);
        assertThat(data.get(0)).contains("after the slot");
        assertThat(data.get(1)).contains("updated after the slot");
    }
}
