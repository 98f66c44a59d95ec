package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code snapshot(id)}: the copy reads the instant of a snapshot the caller exported and holds. */
@ExtendWith(PostgresPairExtension.class)
class ExternalSnapshotIT {

    @Test
    void aCopyInTheCallersSnapshotLeavesOutLaterChanges(DatabasePair pair) throws Exception {
        pair.source().execute("""
                CREATE TABLE public.events (id serial PRIMARY KEY, what text);
                INSERT INTO public.events (what) SELECT 'before ' || g FROM generate_series(1, 1000) g;
                """);
        try (Connection holder = pair.source().connect()) {
            holder.setAutoCommit(false);
            String id;
            try (Statement s = holder.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                try (ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                    rs.next();
                    id = rs.getString(1);
                }
            }
            pair.source().execute("INSERT INTO public.events (what) SELECT 'after ' || g FROM generate_series(1, 50) g;"
                    + " CREATE TABLE public.later (x int)");

            CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.snapshot(id));

            assertThat(report.succeeded()).isTrue();
            assertThat(pair.target().queryForLong("SELECT count(*) FROM public.events")).isEqualTo(1000);
            // Sequences are not transactional: their values are read when the run reads its catalog, never below
            // what the copied rows used.
            assertThat(pair.target().queryForLong("SELECT last_value FROM public.events_id_seq"))
                    .as("the sequence as the run found it").isEqualTo(1050);
            assertThat(pair.target().queryForString("SELECT to_regclass('public.later')::text"))
                    .as("schema as of the snapshot too").isNull();
            holder.rollback();
        }
    }

    @Test
    void aSnapshotThatIsNotHeldFailsSayingSo(DatabasePair pair) {
        pair.source().execute("CREATE TABLE public.t (id int PRIMARY KEY)");

        assertThatThrownBy(() -> CopyAssertions.copy(pair, new RecordingListener(),
                b -> b.snapshot("00000003-0000FFFF-1")))
                .isInstanceOf(PgCopyException.class)
                .hasMessageContaining("snapshot 00000003-0000FFFF-1 is gone");
        assertThat(pair.target().queryForLong("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"))
                .as("nothing written").isZero();
    }

    @Test
    void snapshotAndNotConsistentContradictEachOther(DatabasePair pair) {
        assertThatThrownBy(() -> DatabaseCopy.from(CopyAssertions.spec(pair.source()))
                .to(CopyAssertions.spec(pair.target())).snapshot("00000003-0000001B-1").notConsistent().options())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("snapshot(id) reads one snapshot and notConsistent() reads none: use one");
    }
}
