package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.model.TablePart;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cancel()} and {@code timeout(…)} during the COPY phase: the run ends within seconds, CANCELLED, with no
 * session of ours left on either server and no child process running.
 */
@ExtendWith(PostgresPairExtension.class)
class CancelIT {
    /** Big enough that its COPY is still running a few hundred milliseconds after it starts. */
    static final String BIG = """
            CREATE TABLE public.big (id bigint PRIMARY KEY, payload text NOT NULL);
            INSERT INTO public.big SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 1500000) g;
            CREATE TABLE public.small (id int PRIMARY KEY);
            INSERT INTO public.small SELECT generate_series(1, 10);
            """;

    @Test
    void cancelDuringCopyReturnsWithinFiveSecondsAndLeavesNothingRunning(DatabasePair pair, @TempDir Path work)
            throws InterruptedException {
        pair.source().execute(BIG);
        CountDownLatch copying = new CountDownLatch(1);
        CopyListener onBig = new CopyListener() {
            @Override
            public void tableCopyStarted(TablePart part) {
                if (part.table().name().name().equals("big")) {
                    copying.countDown();
                }
            }
        };
        CopyExecution execution = DatabaseCopy.from(CopyAssertions.spec(pair.source()))
                .to(CopyAssertions.spec(pair.target())).workDirectory(work).listener(onBig).start();
        assertThat(copying.await(60, TimeUnit.SECONDS)).isTrue();
        String bigCopy = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY%big%TO STDOUT%'";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count(pair.source(), bigCopy) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(count(pair.source(), bigCopy)).as("the big COPY is running when we cancel").isEqualTo(1);

        long start = System.nanoTime();
        execution.cancel();
        PgCopyException e = catchThrowableOfType(PgCopyException.class, execution::await);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("[measure] cancel() to await() returning: " + took.toMillis() + " ms");

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(e.getMessage()).startsWith("the copy was cancelled; the work directory " + work
                + " keeps what was finished: continue with resume() and notConsistent()");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ErrorCode.CANCELLED);
            assertThat(p.message()).isEqualTo("the copy was cancelled");
            assertThat(p.remedy()).isEqualTo("continue with resume() and notConsistent(), passing workDirectory("
                    + work + ") again");
        });
        CopyReport report = e.partialReport().orElseThrow();
        assertThat(report.status()).isEqualTo(CopyReport.Status.CANCELLED);
        assertThat(report.failures()).as("cancelled work is not a failure").isEmpty();
        assertThat(report.tables()).filteredOn(t -> t.name().name().equals("big")).singleElement()
                .satisfies(t -> assertThat(t.outcome()).isEqualTo(Outcome.SKIPPED));
        assertNothingLeft(pair);
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.big")).as("the COPY was rolled back")
                .isZero();
    }

    @Test
    void aTimeoutCancelsTheRunAndSaysSo(DatabasePair pair, @TempDir Path work) {
        pair.source().execute(BIG);
        long start = System.nanoTime();

        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> DatabaseCopy
                .from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.target())).workDirectory(work)
                .timeout(Duration.ofMillis(1500)).run());

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("[measure] run with timeout(1500 ms) ended after: " + took.toMillis() + " ms");
        assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
        assertThat(e.code().category()).isEqualTo(ErrorCode.Category.CANCELLED);
        assertThat(e.getMessage()).as("one clear line, the limit said once").startsWith("the copy timed out after "
                + "1.5 s; the work directory " + work + " keeps what was finished").doesNotContain("PT1.5S", "\n");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ErrorCode.TIMED_OUT);
            assertThat(p.message()).isEqualTo("the copy timed out after 1.5 s");
            assertThat(p.remedy()).startsWith("continue with resume() and notConsistent()").contains("timeout(d)");
        });
        assertThat(e.partialReport().orElseThrow().status()).isEqualTo(CopyReport.Status.CANCELLED);
        assertThat(took).isLessThan(Duration.ofMillis(1500 + 5000));
        assertNothingLeft(pair);
    }

    private static void assertNothingLeft(DatabasePair pair) {
        Leftovers.assertNothingLeft(pair);
    }

    private static long count(TestDatabase db, String sql) {
        return db.queryForLong(sql);
    }
}
