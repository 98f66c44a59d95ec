package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clone --follow} end to end: the copy in the slot's snapshot under a write load, the changes applied until
 * the endpos, the target then equal to the source (sequences included), every source transaction in the target's
 * ledger exactly once, and nothing of the follow left on the servers. Also killed with SIGKILL at random points
 * and resumed.
 */
@ExtendWith(PostgresPairExtension.class)
class FollowIT {

    @Test
    void pagilaUnderWriteLoadIsExactAtEndpos(DatabasePair pair, @TempDir Path dir) throws Exception {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        FollowLoad.createTables(pair.source());
        java.util.List<FollowProgress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        FollowBuilder follow = DatabaseCopy.from(CopyAssertions.spec(pair.source()))
                .to(CopyAssertions.spec(pair.target())).workDirectory(dir).jobs(2).follow().slotName("follow_it")
                .listener(progress::add);

        FollowReport report;
        try (FollowLoad load = FollowLoad.start(pair.source())) {
            CompletableFuture<FollowReport> running = CompletableFuture.supplyAsync(follow::run);
            awaitFile(dir.resolve("cdc").resolve("copy-done"), running);
            int atCopyEnd = load.transactions();
            // Changes made after the copy too, for a while.
            while (load.transactions() < atCopyEnd + 300) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            load.close();
            follow.setEndposToCurrent();
            report = running.get(5, TimeUnit.MINUTES);
            assertThat(atCopyEnd).as("the load ran during the copy").isPositive();
        }

        assertThat(report.copy()).hasValueSatisfying(c -> assertThat(c.succeeded()).isTrue());
        assertThat(report.sequencesSynced()).isPositive();
        CopyAssertions.assertIdentical(pair);
        assertLedgersEqual(pair);
        FollowSetupIT.assertNothingLeft(pair, "follow_it");
        assertThat(report.dropped()).as("slot, publication, its copy on the target, origin").hasSize(4);
        assertThat(progress).as("lag and rate reported while applying").isNotEmpty()
                .allSatisfy(p -> assertThat(p.lagBytes()).isNotNegative());
    }

    @Test
    void killedAtTenRandomPointsAndResumedItLosesAndRepeatsNothing(DatabasePair pair, @TempDir Path dir)
            throws Exception {
        pair.source().execute("CREATE TABLE public.accounts (id int PRIMARY KEY, balance numeric NOT NULL); "
                + "INSERT INTO public.accounts SELECT g, 100 FROM generate_series(1, 1000) g");
        FollowLoad.createTables(pair.source());
        Random random = new Random(18);
        List<String> base = List.of(pair.source().uri(), pair.target().uri(), dir.toString(), "kill_it");
        try (FollowLoad load = FollowLoad.start(pair.source())) {
            Path copyDone = dir.resolve("cdc").resolve("copy-done");
            KilledChild.runUntil(FollowChild.class, concat(base, "clone"), Map.of(),
                    lines -> Files.exists(copyDone));
            for (int kill = 0; kill < 10; kill++) {
                long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(2500));
                KilledChild.runUntil(FollowChild.class, concat(base, "resume"), Map.of(),
                        lines -> System.nanoTime() > at);
            }
            load.close();
        }
        DatabaseFollow.from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.target()))
                .workDirectory(dir).slotName("kill_it").setEndposToCurrent();
        // Its output to a file, not to this JVM's: Surefire's fork reads this JVM's standard output as its channel.
        Path log = dir.resolve("last-resume.log");
        Process last = new ProcessBuilder(javaCommand(concat(base, "resume"))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(last.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(last.exitValue()).as(() -> readQuietly(log)).isZero();
        assertThat(readQuietly(log)).contains("follow done at ");

        CopyAssertions.assertIdentical(pair);
        assertLedgersEqual(pair);
        FollowSetupIT.assertNothingLeft(pair, "kill_it");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Every source transaction of the load is on the target once (the ledger's key refuses a second). */
    private static void assertLedgersEqual(DatabasePair pair) {
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.ledger"))
                .isEqualTo(pair.source().queryForLong("SELECT count(*) FROM public.ledger"))
                .isPositive();
        assertThat(pair.target().queryForString("SELECT md5(string_agg(txid::text, ',' ORDER BY txid)) FROM "
                + "public.ledger")).isEqualTo(pair.source().queryForString("SELECT md5(string_agg(txid::text, ',' "
                + "ORDER BY txid)) FROM public.ledger"));
    }

    private static void awaitFile(Path file, CompletableFuture<?> running) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!Files.exists(file)) {
            if (running.isDone()) {
                running.get();
                throw new AssertionError("the follow ended before its copy was done");
            }
            assertThat(System.nanoTime()).as("copy done within 5 minutes").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static List<String> concat(List<String> base, String mode) {
        return java.util.stream.Stream.concat(base.stream(), java.util.stream.Stream.of(mode)).toList();
    }

    private static List<String> javaCommand(List<String> args) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(Path.of(System.getProperty("java.home"),
                "bin", "java").toString(), "-cp", System.getProperty("java.class.path"), FollowChild.class.getName()),
                args.stream()).toList();
    }

    /** The follower in a child JVM: {@code SOURCE TARGET DIR SLOT clone|resume}. */
    static final class FollowChild {
        private FollowChild() {
        }

        public static void main(String[] args) {
            Path dir = Path.of(args[2]);
            FollowBuilder follow = "clone".equals(args[4])
                    ? DatabaseCopy.from(args[0]).to(args[1]).workDirectory(dir).follow()
                    : DatabaseFollow.from(args[0]).to(args[1]).workDirectory(dir).resume();
            FollowReport report = follow.slotName(args[3]).origin(args[3]).run();
            System.out.println("follow done at " + report.appliedUpTo());
        }
    }
}
