package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.TablePart;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupting the thread that waits for a copy cancels the copy: nothing is written afterwards, no session is
 * left, and the caller is told CANCELLED only because it really was.
 */
@ExtendWith(PostgresPairExtension.class)
class InterruptIT {
    @Test
    void interruptingTheThreadBlockedInRunCancelsTheCopy(DatabasePair pair, @TempDir Path work) throws Exception {
        pair.source().execute(CancelIT.BIG);
        CountDownLatch copying = new CountDownLatch(1);
        AtomicReference<PgCopyException> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                builder(pair, work, copying).run();
            } catch (PgCopyException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        }, "caller");
        caller.start();
        assertThat(copying.await(60, TimeUnit.SECONDS)).isTrue();
        Leftovers.awaitCopyRunning(pair, "big");

        long start = System.nanoTime();
        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(40));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("[measure] interrupt to run() returning: " + took.toMillis() + " ms");

        assertThat(caller.isAlive()).as("run() returned").isFalse();
        assertCancelledTruthfully(pair, thrown.get());
        assertThat(stillInterrupted).as("the caller keeps its interrupt status").isTrue();
    }

    @Test
    void shutdownNowOfTheCallersExecutorCancelsTheCopy(DatabasePair pair, @TempDir Path work) throws Exception {
        pair.source().execute(CancelIT.BIG);
        CountDownLatch copying = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Future<CopyReport> future = executor.submit(() -> builder(pair, work, copying).run());
        assertThat(copying.await(60, TimeUnit.SECONDS)).isTrue();
        Leftovers.awaitCopyRunning(pair, "big");

        executor.shutdownNow();
        assertThat(executor.awaitTermination(40, TimeUnit.SECONDS)).as("the task ended").isTrue();

        ExecutionException e = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
                future::get);
        assertThat(e.getCause()).isInstanceOf(PgCopyException.class);
        assertCancelledTruthfully(pair, (PgCopyException) e.getCause());
    }

    private static CopyBuilder builder(DatabasePair pair, Path work, CountDownLatch copying) {
        return DatabaseCopy.from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.target()))
                .workDirectory(work).listener(new CopyListener() {
                    @Override
                    public void tableCopyStarted(TablePart part) {
                        if (part.table().name().name().equals("big")) {
                            copying.countDown();
                        }
                    }
                });
    }

    private static void assertCancelledTruthfully(DatabasePair pair, PgCopyException e) throws InterruptedException {
        assertThat(e).as("what the caller got").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(e.getMessage()).contains("interrupted");
        CopyReport report = e.partialReport().orElseThrow();
        assertThat(report.status()).as("the run itself ended cancelled").isEqualTo(CopyReport.Status.CANCELLED);
        assertThat(report.tables()).filteredOn(t -> t.name().name().equals("big")).singleElement()
                .satisfies(t -> assertThat(t.outcome()).isEqualTo(Outcome.SKIPPED));
        Leftovers.assertNothingLeft(pair);
        String before = Leftovers.targetFingerprint(pair);
        Thread.sleep(2000);
        assertThat(Leftovers.targetFingerprint(pair)).as("nothing written to the target after the call returned")
                .isEqualTo(before);
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.big")).as("the COPY was rolled back")
                .isZero();
    }
}
