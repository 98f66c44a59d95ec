package io.pgcopydb.internal.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.FollowProgress;
import io.pgcopydb.FollowReport;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follow's own flow, whatever applies the changes: with a stand-in applier that only advances the origin at
 * each commit, {@code clone --follow} copies in the slot's snapshot, hands every received transaction over in
 * commit order, prunes the change log as the origin advances, reports the lag, stops at the sentinel's endpos set
 * from outside, sets the sequences and drops the slot, publication and origin.
 */
@ExtendWith(PostgresPairExtension.class)
class FollowFlowIT {

    @Test
    void fromCopyToCleanupStoppingAtTheSentinel(DatabasePair pair, @TempDir Path dir) throws Exception {
        ConnectionSpec source = ConnectionSpec.parse(pair.source().uri());
        ConnectionSpec target = ConnectionSpec.parse(pair.target().uri());
        pair.source().execute("CREATE TABLE public.t (id serial PRIMARY KEY, v text); "
                + "INSERT INTO public.t (v) SELECT 'before' FROM generate_series(1, 100)");
        FollowNames names = new FollowNames("flow_it", "flow_it", "flow_it");
        List<FollowProgress> progress = new CopyOnWriteArrayList<>();
        FollowRequest request = new FollowRequest(source, target, dir.resolve("cdc"), names, Filters.none(),
                OptionalLong.empty(), false, 4096, 1L << 30,
                Optional.of(id -> DatabaseCopy.from(source).to(target).workDirectory(dir).snapshot(id).run()),
                progress::add);
        AtomicLong commitsSeen = new AtomicLong();
        AtomicLong lastCommit = new AtomicLong();

        CompletableFuture<FollowReport> running = CompletableFuture.supplyAsync(() -> FollowRun.run(request,
                (t, origin) -> new OriginOnly(t, origin, commitsSeen, lastCommit)));
        while (!Files.exists(dir.resolve("cdc").resolve("copy-done"))) {
            assertThat(running).as("the copy ends before the follow").isNotDone();
            TimeUnit.MILLISECONDS.sleep(20);
        }
        for (int i = 0; i < 300; i++) {
            pair.source().execute("INSERT INTO public.t (v) VALUES (repeat('after', " + (i % 50) + "))");
        }
        TimeUnit.SECONDS.sleep(3);
        assertThat(running).as("no endpos yet: the follow waits").isNotDone();
        long endpos = FollowCommands.currentLsn(source);
        FollowCommands.setEndpos(dir.resolve("cdc"), endpos);
        FollowReport report = running.get(1, TimeUnit.MINUTES);

        assertThat(report.copy()).hasValueSatisfying(c -> assertThat(c.succeeded()).isTrue());
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.t")).as("the copy, in the snapshot")
                .isEqualTo(100);
        assertThat(commitsSeen.get()).as("every transaction after the slot handed over once").isEqualTo(300);
        assertThat(Lsn.parse(report.appliedUpTo())).isEqualTo(lastCommit.get()).isLessThanOrEqualTo(endpos);
        assertThat(report.endpos()).isEqualTo(Lsn.format(endpos));
        assertThat(report.sequencesSynced()).isEqualTo(1);
        assertThat(pair.target().queryForLong("SELECT last_value FROM public.t_id_seq")).isEqualTo(400);
        assertThat(report.dropped()).containsExactly("replication slot flow_it", "publication flow_it",
                "publication flow_it on the target (copied with the schema)", "replication origin flow_it");
        assertThat(progress).as("lag reported while applying").isNotEmpty();
        assertThat(ReplicationObjects.find(source, target, names).none()).isTrue();
        assertThat(Files.exists(dir.resolve("cdc").resolve("changes"))).as("the change log is gone").isFalse();
    }

    /** Applies nothing: advances the origin to each commit past it, so the follow's flow sees progress. */
    private record OriginOnly(Connection target, String origin, AtomicLong commits, AtomicLong last)
            implements ChangeApplier {

        @Override
        public long appliedUpTo() {
            try (PreparedStatement ps = target.prepareStatement("SELECT pg_replication_origin_progress(?, true)"
                    + "::text")) {
                ps.setString(1, origin);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1) == null ? 0 : Lsn.parse(rs.getString(1));
                }
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
                    applied = PgOutputMessages.commitEndLsn(c);
                    try (PreparedStatement ps = target.prepareStatement(
                            "SELECT pg_replication_origin_advance(?, ?::pg_lsn)")) {
                        ps.setString(1, origin);
                        ps.setString(2, Lsn.format(applied));
                        ps.execute();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    commits.incrementAndGet();
                    last.set(applied);
                }
            }
            return applied;
        }

        @Override
        public void close() {
        }
    }
}
