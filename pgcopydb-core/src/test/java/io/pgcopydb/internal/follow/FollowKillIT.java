package io.pgcopydb.internal.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.FollowReport;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole follower SIGKILLed at six random points while it receives and applies, each time resumed: with a
 * stand-in applier that does what the real one must — one target transaction per source transaction, recording
 * it in a ledger and advancing the origin with {@code pg_replication_origin_xact_setup} — every source
 * transaction is in the ledger exactly once at the end (its primary key refuses a second). The receiver, the
 * change log, the reader's start from the origin's progress and the resume are what is proven here.
 */
@ExtendWith(PostgresPairExtension.class)
class FollowKillIT {

    @Test
    void killedSixTimesAndResumedEveryTransactionIsAppliedOnce(DatabasePair pair, @TempDir Path dir)
            throws Exception {
        ConnectionSpec source = ConnectionSpec.parse(pair.source().uri());
        ConnectionSpec target = ConnectionSpec.parse(pair.target().uri());
        pair.source().execute("CREATE TABLE public.t (id int PRIMARY KEY, v text)");
        pair.target().execute("CREATE TABLE public.ledger (commit_end pg_lsn PRIMARY KEY)");
        FollowCommands.setup(request(source, target, dir));
        AtomicInteger committed = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread load = new Thread(() -> {
            for (int i = 1; !stop.get(); i++) {
                pair.source().execute("BEGIN; INSERT INTO public.t VALUES (" + i + ", 'a'); UPDATE public.t SET v = "
                        + "'b' WHERE id = " + i + "; COMMIT");
                committed.set(i);
            }
        }, "kill-load");
        load.start();
        try {
            Random random = new Random(18);
            for (int kill = 0; kill < 6; kill++) {
                killAfter(pair, dir, 300 + random.nextInt(1500));
            }
            stop.set(true);
            load.join();
            FollowCommands.setEndpos(dir, FollowCommands.currentLsn(source));
            FollowReport report = FollowRun.run(request(source, target, dir), Ledger::new);
            assertThat(report.dropped()).hasSize(3);
        } finally {
            stop.set(true);
            load.join();
            ReplicationObjects.drop(source, target, names());
        }
        assertThat(committed.get()).as("transactions committed across the kills").isGreaterThan(50);
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.ledger"))
                .as("every source transaction applied once").isEqualTo(committed.get());
    }

    private static FollowNames names() {
        return new FollowNames("kill_flow_it", "kill_flow_it", "kill_flow_it");
    }

    private static FollowRequest request(ConnectionSpec source, ConnectionSpec target, Path dir) {
        return new FollowRequest(source, target, dir, names(), Filters.none(), OptionalLong.empty(), true, 16 << 10,
                1L << 30, Optional.empty(), p -> { });
    }

    /** Runs the follower in a child JVM and SIGKILLs it {@code millis} after it starts applying. */
    private static void killAfter(DatabasePair pair, Path dir, long millis) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Follower.class.getName(), pair.source().uri(),
                pair.target().uri(), dir.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.contains("Applying changes from")) {
                assertThat(line).as("the follower's output").doesNotContain("Exception");
            }
            assertThat(child.isAlive()).as("the follower runs").isTrue();
            TimeUnit.MILLISECONDS.sleep(millis);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** The follower: {@code SOURCE TARGET DIR}, resuming, with the ledger applier; runs until killed. */
    static final class Follower {
        private Follower() {
        }

        public static void main(String[] args) {
            FollowRun.run(request(ConnectionSpec.parse(args[0]), ConnectionSpec.parse(args[1]), Path.of(args[2])),
                    Ledger::new);
        }
    }

    /** Applies each source transaction as one ledger row, in one target transaction advancing the origin. */
    static final class Ledger implements ChangeApplier {
        private final Connection target;

        Ledger(Connection target, String origin) {
            this.target = target;
            try (Statement s = target.createStatement()) {
                // A follower killed a moment ago may still hold the origin until its backend notices.
                for (int i = 0; ; i++) {
                    try {
                        s.execute("SELECT pg_replication_origin_session_setup('" + origin + "')");
                        break;
                    } catch (SQLException e) {
                        if (i > 50) {
                            throw e;
                        }
                        TimeUnit.MILLISECONDS.sleep(200);
                    }
                }
                target.setAutoCommit(false);
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public long appliedUpTo() {
            try (Statement s = target.createStatement();
                    var rs = s.executeQuery("SELECT pg_replication_origin_session_progress(true)::text")) {
                rs.next();
                long applied = rs.getString(1) == null ? 0 : Lsn.parse(rs.getString(1));
                target.commit();
                return applied;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public long apply(Iterator<StoredChange> changes, long endpos) {
            long applied = appliedUpTo();
            while (changes.hasNext()) {
                StoredChange c = changes.next();
                if (PgOutputMessages.isCommit(c) && PgOutputMessages.commitEndLsn(c) > applied) {
                    String lsn = Lsn.format(PgOutputMessages.commitEndLsn(c));
                    try (Statement s = target.createStatement()) {
                        s.execute("SELECT pg_replication_origin_xact_setup('" + lsn + "', now())");
                        s.execute("INSERT INTO public.ledger VALUES ('" + lsn + "')");
                        target.commit();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    applied = PgOutputMessages.commitEndLsn(c);
                    if (applied >= endpos) {
                        break;
                    }
                }
            }
            return applied;
        }

        @Override
        public void close() {
        }
    }
}
