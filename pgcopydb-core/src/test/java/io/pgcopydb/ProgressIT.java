package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.TablePart;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TempDirectories;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link CopyExecution#progress()} on a real copy, polled while it runs. Nothing here depends on timing: the copy
 * is held at two points while the test looks — the big table's COPY just before its end reaches the tracker (a
 * listener waits), and an index build inside the target server (its expression waits on an advisory lock the test
 * holds) — so what is seen there is certain.
 */
@ExtendWith(PostgresPairExtension.class)
class ProgressIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Test
    void bytesRiseToTheTotalAnIndexBuildShowsItsServerPhaseAndTheCountsEndComplete(DatabasePair pair)
            throws Exception {
        pair.source().execute("""
                CREATE TABLE big (id bigint PRIMARY KEY, payload text NOT NULL);
                INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 200000) g;
                CREATE FUNCTION gate(int) RETURNS int LANGUAGE plpgsql IMMUTABLE
                    AS $$ BEGIN PERFORM pg_advisory_xact_lock_shared(4242); RETURN $1; END $$;
                CREATE TABLE gated (id int PRIMARY KEY, v int);
                INSERT INTO gated SELECT g, g FROM generate_series(1, 1000) g;
                CREATE INDEX gated_gate ON gated (gate(v));
                ANALYZE""");
        RecordingListener recording = new RecordingListener();
        CountDownLatch bigEnding = new CountDownLatch(1);
        CountDownLatch bigMayEnd = new CountDownLatch(1);
        CopyListener listener = (CopyListener) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CopyListener.class}, (proxy, method, args) -> {
                    if (method.getName().equals("tableCopyFinished")
                            && ((TablePart) args[0]).table().name().name().equals("big")) {
                        // The tracker, after this listener, has had big's progress events but not its end yet.
                        bigEnding.countDown();
                        bigMayEnd.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    }
                    try {
                        return method.invoke(recording, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Path work = TempDirectories.create("pgcopydb-test-work-");
        List<CopyProgress> seen = new ArrayList<>();
        try (Connection lock = pair.target().connect(); Statement st = lock.createStatement()) {
            st.execute("SELECT pg_advisory_lock(4242)");
            try (CopyExecution copy = DatabaseCopy.from(CopyAssertions.spec(pair.source()))
                    .to(CopyAssertions.spec(pair.target())).workDirectory(work).listener(listener).start()) {
                assertThat(bigEnding.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                CopyProgress held = copy.progress();
                seen.add(held);
                assertThat(held.phase()).contains(Phase.COPY_DATA);
                assertThat(held.bytesDone()).as("big is not in yet").isLessThan(held.bytesTotal());
                assertThat(held.jobs()).filteredOn(j -> j.kind() == JobProgress.Kind.COPY)
                        .filteredOn(j -> j.name().equals("public.big")).singleElement().satisfies(j -> {
                            assertThat(j.rows()).isEqualTo(200_000);
                            assertThat(j.bytes()).isPositive();
                            assertThat(j.estimatedBytes()).isPositive();
                            assertThat(j.fraction().getAsDouble()).isBetween(0.5, 0.99);
                        });
                bigMayEnd.countDown();

                CopyProgress building = waitFor(copy, seen, p -> p.jobs().stream().anyMatch(j ->
                        j.kind() == JobProgress.Kind.INDEX && j.name().equals("public.gated_gate")
                                && j.server().isPresent()));
                JobProgress.ServerPhase phase = building.jobs().stream()
                        .filter(j -> j.name().equals("public.gated_gate")).findFirst().orElseThrow().server()
                        .orElseThrow();
                assertThat(phase.command()).isEqualTo("CREATE INDEX");
                assertThat(phase.phase()).as("blocked on the lock while it scans the table")
                        .isEqualTo("building index: scanning table");
                assertThat(phase.total()).isPositive();
                st.execute("SELECT pg_advisory_unlock(4242)");

                copy.await();
                CopyProgress end = copy.progress();
                seen.add(end);
                assertThat(end.bytesDone()).isEqualTo(end.bytesTotal()).isPositive();
                assertThat(end.fraction()).isEqualTo(1.0);
                assertThat(end.eta()).contains(Duration.ZERO);
                assertThat(end.jobs()).isEmpty();
                assertThat(end.tables()).isEqualTo(new CopyProgress.UnitCount(2, 0, 0, 2));
                assertThat(end.indexes()).isEqualTo(new CopyProgress.UnitCount(3, 0, 0, 3));
                assertThat(end.constraints()).isEqualTo(new CopyProgress.UnitCount(2, 0, 0, 2));
                assertThat(end.vacuums()).isEqualTo(new CopyProgress.UnitCount(2, 0, 0, 2));
                assertThat(end.line()).startsWith("data 100.0 %")
                        .contains("tables 2/2, indexes 3/3, constraints 2/2, vacuums 2/2");
            }
        } finally {
            TempDirectories.deleteRecursively(work);
        }
        recording.assertPaired();
        assertThat(seen).extracting(CopyProgress::bytesDone).as("never backwards").isSorted();
        CopyAssertions.assertIdentical(pair);
    }

    /** Polls {@code copy} a few times a second, as a user interface would, until {@code wanted}. */
    private static CopyProgress waitFor(CopyExecution copy, List<CopyProgress> seen, Predicate<CopyProgress> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            CopyProgress p = copy.progress();
            seen.add(p);
            if (wanted.test(p)) {
                return p;
            }
            assertThat(copy.isDone()).as("the copy ended before: %s", p.line()).isFalse();
            Thread.sleep(100);
        }
        throw new AssertionError("not seen within " + PATIENCE + ": " + copy.progress().line());
    }
}
