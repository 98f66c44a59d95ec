package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.stage.IndexBuilder;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TestDatabase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A table copied whole by COPY FREEZE gets ANALYZE alone, and that leaves it as VACUUM (ANALYZE) would: every page
 * all-visible and all-frozen in the visibility map, {@code relallvisible} counted, statistics gathered — a VACUUM
 * afterwards changes none of it. A table whose pages COPY FREEZE does not mark (TOAST data, a split table copied
 * by several transactions) is still vacuumed. A table is maintained before its index builds start, unless one of its
 * indexes has an expression: ANALYZE samples those, so it then follows them.
 */
@ExtendWith(PostgresPairExtension.class)
class VacuumOrAnalyzeIT {

    @Test
    void frozenTablesAreOnlyAnalyzedAndEndAsVacuumWouldLeaveThem(DatabasePair pair) {
        pair.source().execute("""
                CREATE TABLE plain (id int PRIMARY KEY, v text);
                INSERT INTO plain SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
                CREATE TABLE toasted (id int PRIMARY KEY, v text);
                ALTER TABLE toasted ALTER COLUMN v SET STORAGE EXTERNAL;
                INSERT INTO toasted SELECT g, repeat(md5(g::text), 200) FROM generate_series(1, 200) g;
                CREATE TABLE split (id int PRIMARY KEY, v text);
                INSERT INTO split SELECT g, md5(g::text) || md5(g::text) FROM generate_series(1, 60000) g""");
        pair.source().execute("VACUUM ANALYZE");
        RecordingListener listener = new RecordingListener();

        CopyAssertions.copy(pair, listener, b -> b.splitTablesLargerThan(3_000_000).splitMaxParts(2));

        TestDatabase target = pair.target();
        assertThat(listener.events("vacuumFinished")).extracting(RecordingListener.Event::object)
                .containsExactlyInAnyOrder("public.plain", "public.toasted", "public.split");
        assertThat(maintenance(target, "plain")).isEqualTo("analyzed only");
        assertThat(maintenance(target, "toasted")).isEqualTo("vacuumed and analyzed");
        assertThat(maintenance(target, "split")).isEqualTo("vacuumed and analyzed");

        CopyAssertions.assertIdentical(pair);
        target.execute("CREATE EXTENSION pg_visibility");
        String afterAnalyze = visibility(target, "plain");
        assertThat(afterAnalyze).as("pages, relallvisible, all-visible, all-frozen, statistics")
                .matches("(\\d+) \\1 \\1 \\1 2").doesNotStartWith("0 ");
        target.execute("VACUUM (ANALYZE) plain");
        assertThat(visibility(target, "plain")).as("VACUUM finds nothing to change").isEqualTo(afterAnalyze);
    }

    @Test
    void tablesAreAnalyzedBeforeTheirIndexBuildsUnlessAnIndexHasExpressions(DatabasePair pair) {
        pair.source().execute("""
                CREATE TABLE plain (id int PRIMARY KEY, v text);
                CREATE INDEX plain_v ON plain (v);
                INSERT INTO plain SELECT g, md5(g::text) FROM generate_series(1, 5000) g;
                CREATE TABLE expr (id int PRIMARY KEY, v text);
                CREATE INDEX expr_lower ON expr (lower(v));
                INSERT INTO expr SELECT g, md5(g::text) FROM generate_series(1, 5000) g""");
        pair.source().execute("ANALYZE");
        RecordingListener listener = new RecordingListener();
        // As each build starts: has its table's vacuum unit finished?
        Map<String, Boolean> maintainedFirst = new ConcurrentHashMap<>();
        IndexBuilder standard = IndexBuilder.standard();
        IndexBuilder watching = (index, context) -> {
            String table = "public." + index.table().name();
            maintainedFirst.merge(table, listener.events("vacuumFinished").stream()
                    .anyMatch(e -> e.object().equals(table)), Boolean::logicalAnd);
            return standard.build(index, context);
        };

        CopyAssertions.copy(pair, listener, b -> b.indexBuilder(watching));

        assertThat(maintainedFirst).containsEntry("public.plain", true).containsEntry("public.expr", false);
        CopyAssertions.assertIdentical(pair);
        TestDatabase target = pair.target();
        assertThat(target.queryForString("SELECT count(*) FROM pg_stats WHERE tablename = 'expr_lower'"))
                .as("statistics of the expression index: ANALYZE ran after it was built").isEqualTo("1");
        assertThat(target.queryForString("SELECT count(*) FROM pg_stats WHERE tablename = 'plain'")).isEqualTo("2");
        assertThat(maintenance(target, "plain")).isEqualTo("analyzed only");
        assertThat(target.queryForString("SELECT c.relpages = c.relallvisible AND c.relpages > 0"
                + " AND c.reltuples = 5000 FROM pg_class c WHERE c.relname = 'plain'"))
                .as("the index builds kept ANALYZE's counts").isEqualTo("t");
    }

    private static String maintenance(TestDatabase db, String table) {
        return db.queryForString("SELECT CASE WHEN last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
                + " THEN 'vacuumed and analyzed' WHEN last_analyze IS NOT NULL THEN 'analyzed only' ELSE 'neither'"
                + " END FROM pg_stat_user_tables WHERE relname = '" + table + "'");
    }

    private static String visibility(TestDatabase db, String table) {
        return db.queryForString("SELECT c.relpages || ' ' || c.relallvisible || ' ' || v.all_visible || ' '"
                + " || v.all_frozen || ' ' || (SELECT count(*) FROM pg_stats s WHERE s.tablename = c.relname)"
                + " FROM pg_class c, pg_visibility_map_summary(c.oid) v WHERE c.relname = '" + table + "'");
    }
}
