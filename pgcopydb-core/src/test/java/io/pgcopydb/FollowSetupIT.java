package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.filter.Filters;
import io.pgcopydb.model.Side;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follow's preflight, {@code stream setup}, {@code stream cleanup} and the sentinel, against real servers.
 * Each test names its own slot: slots belong to the server, not to the test's database.
 */
@ExtendWith(PostgresPairExtension.class)
class FollowSetupIT {

    private static FollowBuilder follow(DatabasePair pair, String name, Path dir) {
        return DatabaseFollow.from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.target()))
                .workDirectory(dir).slotName(name).origin(name);
    }

    @Test
    void aTableWithoutPrimaryKeyOrReplicaIdentityIsRefusedWithTheRemedyAndNothingIsCreated(DatabasePair pair,
            @TempDir Path dir) {
        pair.source().execute("CREATE TABLE public.keyed (id int PRIMARY KEY); CREATE TABLE public.log (at timestamptz,"
                + " what text); CREATE TABLE public.full_identity (x int); "
                + "ALTER TABLE public.full_identity REPLICA IDENTITY FULL");

        PgCopyException e = catchThrowableOfType(PgCopyException.class,
                () -> follow(pair, "preflight_it", dir).setup());

        assertThat(e.code()).isEqualTo(ErrorCode.REPLICA_IDENTITY_MISSING);
        Problem p = ProblemAssertions.problem(e, ErrorCode.REPLICA_IDENTITY_MISSING, Side.SOURCE, "public.log");
        assertThat(p.remedy()).contains("ALTER TABLE public.log REPLICA IDENTITY FULL", "excludeTable(\"public.log\")");
        assertThat(e.problems()).as("keyed and REPLICA IDENTITY FULL tables pass").hasSize(1);
        assertNothingLeft(pair, "preflight_it");
    }

    @Test
    void anExcludedTableIsNotCheckedAndCleanupLeavesNothing(DatabasePair pair, @TempDir Path dir) throws Exception {
        pair.source().execute("CREATE TABLE public.keyed (id int PRIMARY KEY); CREATE TABLE public.log (what text)");
        FollowBuilder follow = follow(pair, "cleanup_it", dir).filter(Filters.none().excludeTable("public.log"));

        follow.setup();
        try {
            assertThat(pair.source().queryForLong("SELECT count(*) FROM pg_replication_slots WHERE slot_name = "
                    + "'cleanup_it' AND plugin = 'pgoutput'")).isEqualTo(1);
            assertThat(pair.source().queryForString("SELECT string_agg(schemaname || '.' || tablename, ',') FROM "
                    + "pg_publication_tables WHERE pubname = 'cleanup_it'")).as("exactly the selected tables")
                    .isEqualTo("public.keyed");
            assertThat(pair.target().queryForLong("SELECT count(*) FROM pg_replication_origin WHERE roname = "
                    + "'cleanup_it'")).isEqualTo(1);

            PgCopyException again = catchThrowableOfType(PgCopyException.class, follow::setup);
            assertThat(again.code()).as(again.getMessage()).isEqualTo(ErrorCode.FOLLOW_STATE_MISMATCH);
            assertThat(again.getMessage()).contains("resume()", "cleanup()");
        } finally {
            assertThat(follow.cleanup()).containsExactly("replication slot cleanup_it", "publication cleanup_it",
                    "replication origin cleanup_it");
        }
        assertNothingLeft(pair, "cleanup_it");
        assertThat(follow.cleanup()).as("a second cleanup finds nothing").isEmpty();
        assertThat(Files.exists(dir.resolve("cdc").resolve("changes"))).isFalse();
    }

    @Test
    void theSentinelHoldsTheEndposAnotherProcessSets(DatabasePair pair, @TempDir Path dir) {
        FollowBuilder follow = follow(pair, "sentinel_it", dir);
        assertThat(follow.endpos()).isEmpty();

        follow.setEndpos("16/B374D848");
        assertThat(follow.endpos()).hasValue("16/B374D848");

        String current = follow.setEndposToCurrent();
        assertThat(current).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(follow.endpos()).hasValue(current);
        assertThat(Files.exists(dir.resolve("cdc").resolve("sentinel"))).isTrue();
    }

    @Test
    void resumingAFollowThatWasNeverSetUpSaysSo(DatabasePair pair, @TempDir Path dir) {
        pair.source().execute("CREATE TABLE public.keyed (id int PRIMARY KEY)");
        PgCopyException e = catchThrowableOfType(PgCopyException.class,
                () -> follow(pair, "resume_it", dir).resume().endpos("0/1").run());
        assertThat(e.code()).isEqualTo(ErrorCode.FOLLOW_STATE_MISMATCH);
        assertThat(e.getMessage()).contains("nothing to resume", "replication slot resume_it");
        assertNothingLeft(pair, "resume_it");
    }

    @Test
    void aFollowWhoseCopyDidNotFinishIsNotResumed(DatabasePair pair, @TempDir Path dir) throws Exception {
        pair.source().execute("CREATE TABLE public.keyed (id int PRIMARY KEY)");
        FollowBuilder follow = follow(pair, "unfinished_it", dir);
        follow.setup();
        try {
            // What a follower killed during its copy leaves: the copy started, never done.
            Files.writeString(dir.resolve("cdc").resolve("copy-started"), "started\n");
            PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> follow.resume().run());
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.FOLLOW_STATE_MISMATCH);
            assertThat(e.getMessage()).contains("did not finish", "cleanup()");
        } finally {
            follow.cleanup();
        }
        assertNothingLeft(pair, "unfinished_it");
    }

    /** No slot, publication or origin of {@code name}: the catalogs themselves say so. */
    static void assertNothingLeft(DatabasePair pair, String name) {
        assertThat(pair.source().queryForLong("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + name
                + "'")).as("slots").isZero();
        assertThat(pair.source().queryForLong("SELECT count(*) FROM pg_publication WHERE pubname = '" + name + "'"))
                .as("publications").isZero();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM pg_replication_origin WHERE roname = '" + name
                + "'")).as("origins").isZero();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM pg_publication WHERE pubname = '" + name + "'"))
                .as("the publication's copy on the target").isZero();
    }
}
