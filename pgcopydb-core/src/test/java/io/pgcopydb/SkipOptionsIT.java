package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** skipLargeObjects and skipVacuum: each shown with and without the option. */
@ExtendWith(PostgresPairExtension.class)
class SkipOptionsIT {

    private static void tableAndLargeObject(DatabasePair pair) {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY, v text);"
                + "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g;"
                + "SELECT lo_from_bytea(777001, convert_to(repeat('large object ', 1000), 'UTF8'))");
    }

    private static long largeObjectBytes(DatabasePair pair) {
        return pair.target().queryForLong("SELECT coalesce(octet_length(lo_get(777001)), -1)");
    }

    @Test
    void largeObjectsAreCopiedUnlessSkipped(DatabasePair pair) {
        tableAndLargeObject(pair);

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.skipLargeObjects());

        assertThat(report.largeObjects()).isZero();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM pg_largeobject_metadata WHERE oid = 777001"))
                .as("metadata still comes with the schema").isEqualTo(1);
        assertThat(largeObjectBytes(pair)).as("no data with skipLargeObjects").isZero();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM t")).isEqualTo(1000);
    }

    @Test
    void largeObjectDataArrivesByDefault(DatabasePair pair) {
        tableAndLargeObject(pair);

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b);

        assertThat(report.largeObjects()).isEqualTo(1);
        assertThat(largeObjectBytes(pair)).isEqualTo(13_000);
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void tablesAreVacuumedUnlessSkipped(DatabasePair pair) {
        tableAndLargeObject(pair);
        RecordingListener skipping = new RecordingListener();

        CopyAssertions.copy(pair, skipping, b -> b.skipVacuum().skipLargeObjects());

        assertThat(skipping.events("vacuumStarted")).isEmpty();
        assertThat(lastVacuum(pair)).as("never vacuumed with skipVacuum").isEqualTo("never");
    }

    @Test
    void tablesAreAnalyzedByDefault(DatabasePair pair) {
        tableAndLargeObject(pair);
        RecordingListener listener = new RecordingListener();

        CopyAssertions.copy(pair, listener, b -> b.skipLargeObjects());

        assertThat(listener.events("vacuumFinished")).extracting(RecordingListener.Event::object)
                .containsExactly("public.t");
        assertThat(lastVacuum(pair)).as("COPY FREEZE left nothing to vacuum: see VacuumOrAnalyzeIT")
                .isEqualTo("analyzed");
    }

    private static String lastVacuum(DatabasePair pair) {
        return pair.target().queryForString("SELECT CASE WHEN last_analyze IS NOT NULL THEN 'analyzed' WHEN"
                + " last_vacuum IS NULL THEN 'never' ELSE 'vacuumed only' END FROM pg_stat_user_tables"
                + " WHERE relname = 't'");
    }
}
