package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.stage.IndexBuilder;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresPairExtension.class)
class PipelineIT {

    /** Two tables big enough that their copies and index builds take a noticeable time. */
    private static void twoBusyTables(DatabasePair pair) {
        for (String t : List.of("alpha", "beta")) {
            pair.source().execute("CREATE TABLE " + t + " (id bigint PRIMARY KEY, a text, b int, c text UNIQUE);"
                    + "INSERT INTO " + t + " SELECT g, md5(g::text), g % 1000, md5((g * 7)::text) || g"
                    + " FROM generate_series(1, 300000) g;"
                    + "CREATE INDEX " + t + "_a ON " + t + " (a); CREATE INDEX " + t + "_b ON " + t + " (b, a);");
        }
    }

    @Test
    void tablesCopyConcurrentlyAndIndexesOfOneTableBuildConcurrently(DatabasePair pair) {
        twoBusyTables(pair);
        RecordingListener listener = new RecordingListener();

        CopyReport report = CopyAssertions.copy(pair, listener, b -> b.jobs(2).indexJobs(2));

        Map<String, long[]> copies = listener.intervals("tableCopy");
        assertThat(copies).containsOnlyKeys("public.alpha", "public.beta");
        assertThat(overlap(copies.get("public.alpha"), copies.get("public.beta")))
                .as("the two table copies overlapped in time").isTrue();

        Map<String, long[]> indexes = listener.intervals("index");
        boolean someTableHadConcurrentIndexes = List.of("alpha", "beta").stream().anyMatch(t -> {
            List<long[]> ofTable = indexes.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("public." + t + "_")).map(Map.Entry::getValue).toList();
            for (int i = 0; i < ofTable.size(); i++) {
                for (int j = i + 1; j < ofTable.size(); j++) {
                    if (overlap(ofTable.get(i), ofTable.get(j))) {
                        return true;
                    }
                }
            }
            return false;
        });
        assertThat(someTableHadConcurrentIndexes).as("two indexes of one table were built concurrently: %s",
                indexes.keySet()).isTrue();
        assertThat(listener.events("indexStarted")).extracting(RecordingListener.Event::thread)
                .allMatch(t -> t.matches("pgcopydb-" + report.runId() + "-index-\\d+"));
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void primaryKeysAreBuiltAsUniqueIndexesThenAttachedUsingTheIndex(DatabasePair pair) {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY, code text, CONSTRAINT t_code_key UNIQUE (code)"
                + " DEFERRABLE INITIALLY DEFERRED); INSERT INTO t SELECT g, 'c' || g FROM generate_series(1, 1000) g");
        CopyReport[] report = new CopyReport[1];
        String text = LogCapture.capture(
                () -> report[0] = CopyAssertions.copy(pair, new RecordingListener(), b -> b.jobs(1).indexJobs(2)));
        int create = text.indexOf("CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)");
        int alter = text.indexOf("ALTER TABLE ONLY \"public\".\"t\" ADD CONSTRAINT \"t_pkey\" PRIMARY KEY USING INDEX \"t_pkey\"");
        assertThat(create).as("CREATE UNIQUE INDEX logged").isNotNegative();
        assertThat(alter).as("ALTER TABLE … USING INDEX logged after it").isGreaterThan(create);
        assertThat(text).contains("UNIQUE USING INDEX \"t_code_key\" DEFERRABLE INITIALLY DEFERRED");
        assertThat(report[0].constraints()).hasSize(2).allMatch(c -> c.outcome() == Outcome.DONE);
        assertThat(pair.target().queryForString(
                "SELECT condeferrable AND condeferred FROM pg_constraint WHERE conname = 't_code_key'")).isEqualTo("t");
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void aWrappedIndexBuilderSeesEveryIndex(DatabasePair pair) {
        twoBusyTables(pair);
        pair.source().execute("CREATE TABLE ex (r int4range, EXCLUDE USING gist (r WITH &&));"
                + "INSERT INTO ex VALUES ('[1,2)'), ('[3,4)')");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        IndexBuilder standard = IndexBuilder.standard();

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.indexBuilder((index, ctx) -> {
            seen.add(index.name().toString());
            return standard.build(index, ctx);
        }));

        assertThat(seen).containsExactlyInAnyOrder("public.alpha_pkey", "public.alpha_c_key", "public.alpha_a",
                "public.alpha_b", "public.beta_pkey", "public.beta_c_key", "public.beta_a", "public.beta_b");
        assertThat(report.constraints()).extracting(c -> c.name().name()).contains("ex_r_excl");
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void indexBuildsRunSeriallyWhileOtherWorkRemainsAndTheLastOneKeepsTheServersWorkers(DatabasePair pair) {
        twoBusyTables(pair);
        List<String> workers = new CopyOnWriteArrayList<>();
        IndexBuilder standard = IndexBuilder.standard();

        CopyAssertions.copy(pair, new RecordingListener(), b -> b.jobs(1).indexJobs(1).indexBuilder((index, ctx) -> {
            try (Connection c = ctx.openTarget(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SHOW max_parallel_maintenance_workers")) {
                r.next();
                workers.add(r.getString(1));
            }
            return standard.build(index, ctx);
        }));

        String serverDefault = pair.target().queryForString("SHOW max_parallel_maintenance_workers");
        assertThat(serverDefault).as("the test server keeps PostgreSQL's default").isEqualTo("2");
        assertThat(workers).as("one build per index, one index job").hasSize(8);
        assertThat(workers.subList(0, 7)).as("builds while copies or other builds remain").containsOnly("0");
        assertThat(workers.get(7)).as("the last build of the data step, alone").isEqualTo(serverDefault);
        CopyAssertions.assertIdentical(pair);
    }

    /**
     * Once every table is copied, a build expected to cost more than all the others left keeps the server's workers
     * even while another build runs: it is the end of the longest chain. The small table's build, started while the
     * big table was still being copied, holds its lane until the big one's build has started.
     */
    @Test
    void theBuildThatOutweighsAllTheOthersLeftKeepsTheServersWorkers(DatabasePair pair) throws Exception {
        pair.source().execute("CREATE TABLE big (id bigint PRIMARY KEY, a text);"
                + "INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 300000) g;"
                + "CREATE TABLE tiny (id int PRIMARY KEY); INSERT INTO tiny SELECT generate_series(1, 10)");
        Map<String, String> workers = new ConcurrentHashMap<>();
        CountDownLatch bigStarted = new CountDownLatch(1);
        IndexBuilder standard = IndexBuilder.standard();

        CopyAssertions.copy(pair, new RecordingListener(), b -> b.jobs(2).indexJobs(2).indexBuilder((index, ctx) -> {
            try (Connection c = ctx.openTarget(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SHOW max_parallel_maintenance_workers")) {
                r.next();
                workers.put(index.name().name(), r.getString(1));
            }
            if (index.name().name().equals("big_pkey")) {
                bigStarted.countDown();
            } else if (!bigStarted.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the big table's build never started");
            }
            return standard.build(index, ctx);
        }));

        assertThat(workers).as("the tiny table's build started while the big table was copied; the big one's "
                + "outweighs the tiny one's, still running").containsExactlyInAnyOrderEntriesOf(
                        Map.of("tiny_pkey", "0", "big_pkey", "2"));
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void rowsWrittenAfterTheSnapshotStayOut(DatabasePair pair) {
        pair.source().execute("CREATE TABLE events (id bigserial PRIMARY KEY, v text);"
                + "INSERT INTO events (v) SELECT 'before' FROM generate_series(1, 5000);"
                + "CREATE TABLE other (id int PRIMARY KEY); INSERT INTO other VALUES (1), (2)");
        AtomicBoolean written = new AtomicBoolean();
        CopyStreamer standard = CopyStreamer.standard();
        CopyStreamer writingWhileCopying = (part, ctx, progress) -> {
            // The snapshot is already exported when the first COPY starts: write to the source now.
            if (written.compareAndSet(false, true)) {
                pair.source().execute("INSERT INTO events (v) SELECT 'after' FROM generate_series(1, 100);"
                        + "INSERT INTO other VALUES (3); SELECT setval('events_id_seq', 999999)");
            }
            return standard.copy(part, ctx, progress);
        };

        CopyAssertions.copy(pair, new RecordingListener(), b -> b.jobs(1).copyStreamer(writingWhileCopying));

        assertThat(written).isTrue();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM events")).isEqualTo(5000);
        assertThat(pair.target().queryForLong("SELECT count(*) FROM events WHERE v = 'after'")).isZero();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM other")).isEqualTo(2);
        assertThat(pair.target().queryForLong("SELECT last_value FROM events_id_seq")).isEqualTo(5000);
        assertThat(pair.source().queryForLong("SELECT last_value FROM events_id_seq")).isEqualTo(999999);
    }

    @Test
    void aThrowingListenerDoesNotBreakTheCopy(DatabasePair pair) {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
        CopyListener throwing = new CopyListener() {
            @Override
            public void tableCopyStarted(io.pgcopydb.model.TablePart part) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void indexStarted(IndexDefinition index) {
                throw new IllegalStateException("listener bug");
            }
        };
        RecordingListener recording = new RecordingListener();

        CopyReport report = CopyAssertions.copy(pair, recording, b -> b.listener(throwing));

        assertThat(report.succeeded()).isTrue();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM t")).isEqualTo(1);
    }

    private static boolean overlap(long[] a, long[] b) {
        return a[0] < b[1] && b[0] < a[1];
    }
}
