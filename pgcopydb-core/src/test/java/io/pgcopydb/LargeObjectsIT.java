package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.Side;
import io.pgcopydb.stage.StageContext;
import io.pgcopydb.stage.ToolResult;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Large objects: data, owner, ACL and comment come across exactly with parallel workers; thousands of small ones,
 * a 100 MB one streamed through a small heap, a target holding an older copy, metadata missing from pre-data (as
 * with a PostgreSQL 17 source), and a failure that names the object.
 */
@ExtendWith(PostgresPairExtension.class)
class LargeObjectsIT {
    private static final int SMALL = 3000;
    /** Roles are cluster-wide: unique names, created on both servers, dropped after each test. */
    private final String owner = "lo_owner_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
    private final String reader = owner.replace("owner", "reader");
    private final String third = owner.replace("owner", "third");

    @BeforeEach
    void createRoles(DatabasePair pair) {
        for (TestDatabase db : List.of(pair.source(), pair.target())) {
            db.execute("CREATE ROLE " + owner + "; CREATE ROLE " + reader + "; CREATE ROLE " + third);
        }
    }

    @AfterEach
    void dropRoles(DatabasePair pair) {
        for (TestDatabase db : List.of(pair.source(), pair.target())) {
            db.execute("DROP OWNED BY " + owner + ", " + reader + ", " + third + "; DROP ROLE " + owner + ", " + reader
                    + ", " + third);
        }
    }

    @Test
    void thousandsOfSmallObjectsWithOwnerAclAndCommentCopyExactly(DatabasePair pair) {
        long special = createFixture(pair.source());
        RecordingListener listener = new RecordingListener();

        CopyReport report = CopyAssertions.copy(pair, listener, b -> b.largeObjectJobs(2));

        assertThat(report.largeObjects()).isEqualTo(pair.source().queryForLong(
                "SELECT count(*) FROM pg_largeobject_metadata"));
        CopyAssertions.assertIdentical(pair);
        assertSameComments(pair);
        assertThat(pair.target().queryForString("SELECT lomowner::regrole::text FROM pg_largeobject_metadata"
                + " WHERE oid = " + special)).isEqualTo(owner);
        assertThat(listener.events("largeObjectsFinished")).hasSize(1);
    }

    @Test
    void aHundredMegabyteObjectStreamsThroughASmallHeap(DatabasePair pair) throws Exception {
        TestDatabase src = pair.source();
        // Built server-side in 8 MB pieces, plus an odd tail so that no chunk boundary lines up.
        long big = src.queryForLong("SELECT lo_create(0)");
        src.execute("DO $$ BEGIN FOR i IN 0..12 LOOP PERFORM lo_put(" + big + ", i * 8388608, "
                + "decode(repeat(md5(i::text), 524288), 'hex') || decode(repeat(md5((i * 7)::text), 524288), 'hex'));"
                + " END LOOP; END $$;"
                + "SELECT lo_put(" + big + ", 13 * 8388608, convert_to(repeat('tail', 1234), 'UTF8'));"
                + "SELECT lo_from_bytea(0, convert_to(repeat(g::text, 10), 'UTF8')) FROM generate_series(1, 20) g");
        assertThat(src.queryForLong("SELECT sum(length(lo_get(oid))) FROM pg_largeobject_metadata"))
                .isGreaterThan(100L << 20);

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx48m", "-cp",
                System.getProperty("java.class.path"), CopyMain.class.getName(), src.jdbcUrl(),
                pair.target().jdbcUrl(), src.server().user()))
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("OutOfMemoryError").contains("large objects 21");
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void dropIfExistsReplacesAnOlderLongerCopy(DatabasePair pair) {
        createFixture(pair.source());
        CopyAssertions.copy(pair, new RecordingListener(), b -> b.largeObjectJobs(2));
        spoilTarget(pair.target());

        CopyAssertions.copy(pair, new RecordingListener(), b -> b.largeObjectJobs(2).dropIfExists());

        CopyAssertions.assertIdentical(pair);
        assertSameComments(pair);
    }

    @Test
    void metadataMissingFromPreDataIsCreated(DatabasePair pair) {
        createFixture(pair.source());

        CopyAssertions.copy(pair, new RecordingListener(),
                b -> b.largeObjectJobs(2).schemaDumper(LargeObjectsIT::dumpWithoutLargeObjects));

        CopyAssertions.assertIdentical(pair);
        assertSameComments(pair);
    }

    @Test
    void staleMetadataAndLongerDataOnTheTargetAreReplaced(DatabasePair pair) {
        createFixture(pair.source());
        CopyAssertions.copy(pair, new RecordingListener(), b -> b.largeObjectJobs(2));
        spoilTarget(pair.target());

        // Without BLOB entries in pre-data nothing but the large object step can repair the target.
        CopyAssertions.copy(pair, new RecordingListener(), b -> b.largeObjectJobs(2).dropIfExists()
                .schemaDumper(LargeObjectsIT::dumpWithoutLargeObjects));

        CopyAssertions.assertIdentical(pair);
        assertSameComments(pair);
    }

    @Test
    void aFailureNamesTheLargeObject(DatabasePair pair) {
        String vanishing = owner + "_gone";
        for (TestDatabase db : List.of(pair.source(), pair.target())) {
            db.execute("CREATE ROLE " + vanishing);
        }
        try {
            pair.source().execute("SELECT lo_from_bytea(0, convert_to(repeat(g::text, 10), 'UTF8'))"
                    + " FROM generate_series(1, 300) g");
            long failing = pair.source().queryForLong("SELECT lo_from_bytea(0, 'x')");
            pair.source().execute("ALTER LARGE OBJECT " + failing + " OWNER TO " + vanishing);
            // The preflight saw the owner on the target; it disappears when the large object step starts.
            CopyListener dropOwner = new CopyListener() {
                @Override
                public void phaseStarted(Phase phase) {
                    if (phase == Phase.LARGE_OBJECTS) {
                        pair.target().execute("DROP ROLE " + vanishing);
                    }
                }
            };
            RecordingListener listener = new RecordingListener();

            assertThatThrownBy(() -> CopyAssertions.copy(pair, listener, b -> b.largeObjectJobs(2)
                    .schemaDumper(LargeObjectsIT::dumpWithoutLargeObjects).listener(dropOwner)))
                    .isInstanceOf(PgCopyException.class)
                    .hasMessageContaining("large object " + failing)
                    .hasMessageContaining(vanishing);
            assertThat(listener.events("largeObjectsFailed")).hasSize(1);
        } finally {
            pair.source().execute("DROP OWNED BY " + vanishing + "; DROP ROLE " + vanishing);
            pair.target().execute("DROP ROLE IF EXISTS " + vanishing);
        }
    }

    /**
     * Thousands of small objects, sizes around the copier's 32 kB prefix and 1 MB chunk, an empty one, and one
     * with an owner, grants (one with grant option, one by a grantor other than the owner, one to PUBLIC) and a
     * comment. Returns that object's OID.
     */
    private long createFixture(TestDatabase db) {
        db.execute("SELECT lo_from_bytea(0, convert_to(repeat(g::text, 10), 'UTF8')) FROM generate_series(1, " + SMALL
                + ") g;"
                + "SELECT lo_from_bytea(0, ''::bytea);"
                + "SELECT lo_from_bytea(0, decode(repeat('ab', 32768), 'hex'));"
                + "SELECT lo_from_bytea(0, decode(repeat('cd', 32769), 'hex'));"
                + "SELECT lo_from_bytea(0, decode(repeat('ef', 32768 + 1048576), 'hex'));"
                + "SELECT lo_from_bytea(0, convert_to(repeat(md5('x'), 100000), 'UTF8'))");
        long special = db.queryForLong("SELECT lo_from_bytea(0, convert_to('special', 'UTF8'))");
        db.execute("ALTER LARGE OBJECT " + special + " OWNER TO " + owner + ";"
                + "GRANT SELECT ON LARGE OBJECT " + special + " TO " + reader + " WITH GRANT OPTION;"
                + "GRANT UPDATE ON LARGE OBJECT " + special + " TO PUBLIC;"
                + "COMMENT ON LARGE OBJECT " + special + " IS 'it''s special';"
                + "SET ROLE " + reader + "; GRANT SELECT ON LARGE OBJECT " + special + " TO " + third + "; RESET ROLE;"
                + "COMMENT ON LARGE OBJECT " + db.queryForLong("SELECT min(oid) FROM pg_largeobject_metadata")
                + " IS 'the first'");
        return special;
    }

    /** An older copy: longer, different data everywhere, another owner, an extra grant, other comments. */
    private void spoilTarget(TestDatabase db) {
        db.execute("SELECT lo_put(oid, 0, convert_to(repeat('stale', 20000), 'UTF8')) FROM pg_largeobject_metadata;"
                + "DO $$ DECLARE o oid; BEGIN"
                + " FOR o IN SELECT oid FROM pg_largeobject_metadata ORDER BY oid LIMIT 50 LOOP"
                + " EXECUTE format('ALTER LARGE OBJECT %s OWNER TO " + third + "', o);"
                + " EXECUTE format('GRANT SELECT ON LARGE OBJECT %s TO " + reader + "', o);"
                + " EXECUTE format('COMMENT ON LARGE OBJECT %s IS %L', o, 'stale');"
                + " END LOOP; END $$");
    }

    private static void assertSameComments(DatabasePair pair) {
        String sql = "SELECT coalesce(string_agg(oid || ':' || obj_description(oid, 'pg_largeobject'), ','"
                + " ORDER BY oid), '') FROM pg_largeobject_metadata"
                + " WHERE obj_description(oid, 'pg_largeobject') IS NOT NULL";
        assertThat(pair.target().queryForString(sql)).as("large object comments")
                .isEqualTo(pair.source().queryForString(sql)).isNotEmpty();
    }

    /**
     * A {@code SchemaDumper}: the standard dump with {@code --no-blobs}, so no large object metadata in pre-data,
     * as with a PostgreSQL 17 source (where it moved to the data section).
     */
    private static Path dumpWithoutLargeObjects(StageContext context) throws Exception {
        Path archive = context.workDirectory().resolve("schema.dump");
        List<String> args = new ArrayList<>(List.of("--format=custom", "--section=pre-data", "--section=post-data",
                "--no-blobs", "--no-password", "--file=" + archive));
        context.snapshotId().ifPresent(id -> args.add("--snapshot=" + id));
        args.add("--dbname=" + context.databaseArgument(Side.SOURCE));
        ToolResult result = context.runClientTool("pg_dump", args, Side.SOURCE, "pg_dump.log");
        if (!result.succeeded()) {
            throw new IllegalStateException("pg_dump failed: " + result.output());
        }
        return archive;
    }

    /** Child JVM: copies args[0] to args[1] as user args[2] with two large object workers. */
    public static final class CopyMain {
        public static void main(String[] args) {
            RecordingListener listener = new RecordingListener();
            CopyReport r = DatabaseCopy.from(ConnectionSpec.jdbc(args[0], args[2], null))
                    .to(ConnectionSpec.jdbc(args[1], args[2], null)).largeObjectJobs(2).listener(listener).run();
            listener.assertPaired();
            System.out.println("copied large objects " + r.largeObjects() + ", max heap "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
        }
    }
}
