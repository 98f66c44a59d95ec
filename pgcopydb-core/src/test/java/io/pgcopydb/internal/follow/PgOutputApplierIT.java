package io.pgcopydb.internal.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The applier replays real pgoutput bytes (a slot on the source, read with {@code pg_logical_slot_get_binary_changes})
 * on a target holding the same tables, and the target then equals the source.
 */
@ExtendWith(PostgresPairExtension.class)
class PgOutputApplierIT {

    private static void assertSame(SlotFeed feed) {
        CompareReport report = feed.compare();
        assertThat(report.isIdentical()).as(report.toText()).isTrue();
    }

    @Test
    void everyTypeArrivesExactlyThroughItsTextForm(DatabasePair pair) {
        String ddl = """
                CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
                CREATE DOMAIN positive AS numeric(12,3) CHECK (VALUE > 0);
                CREATE TYPE pair AS (a int, b text);
                CREATE TABLE typed (id bigint PRIMARY KEY, n numeric, f float8, r real, b bytea, ia int[], ta text[],
                  j jsonb, js json, m mood, ma mood[], d positive, c pair, ts timestamp, tz timestamptz, i interval,
                  dt date, u uuid, p point, ch char(3), v varchar(10), bits bit(4), ok boolean, ip inet, x xml,
                  tv tsvector, rng int4range)""";
        try (SlotFeed feed = SlotFeed.start(pair, ddl)) {
            pair.source().execute("""
                    INSERT INTO typed VALUES
                     (1, 1.10, 'NaN', 'Infinity', '\\x00ff10', '{1,NULL,3}', '{"a b","c,d",NULL,"\\"q\\""}',
                      '{"k": [1, 2.50, null]}', '{"a":  1}', 'happy', '{sad,ok}', 12.345, '(1,"x y")',
                      '2024-02-29 23:59:59.123456', '2024-02-29 23:59:59.123456+05:30', '1 year 2 mons 3 days 04:05:06',
                      '0001-01-01 BC', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '(1.5,-2)', 'ab', 'x''y', B'1010', true,
                      '10.0.0.0/8', '<a>t</a>', 'a:1 b:2', '[1,5)'),
                     (2, -0.000000000000000000001, '-Infinity', 1e-30, '', '{}', '{}', 'null', '[]', 'sad', NULL, 1, '(,)',
                      'infinity', '-infinity', '-1 day', 'infinity', NULL, NULL, NULL, '', NULL, false, NULL, NULL, '',
                      'empty'),
                     (3, 123456789012345678901234567890.123456789, 0.1, 3.4e38, decode(repeat('ab', 3000), 'hex'),
                      NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                      NULL, NULL, NULL, NULL, NULL, NULL);
                    INSERT INTO typed (id, f) SELECT g, g / 3.0 FROM generate_series(4, 600) g;
                    UPDATE typed SET f = 'NaN', n = 'NaN', m = 'ok', c = '(2,)' WHERE id = 2;
                    UPDATE typed SET j = j || '{"more": "\\u00e9"}' WHERE id = 1;
                    DELETE FROM typed WHERE id BETWEEN 10 AND 20""");
            long progress = feed.applyAll(feed.take());
            assertThat(progress).isPositive();
            assertSame(feed);
            assertThat(pair.target().queryForString("SELECT f::text || ' ' || r::text || ' ' || n::text FROM typed"
                    + " WHERE id = 2")).isEqualTo("NaN 1e-30 NaN");
        }
    }

    @Test
    void unchangedToastedColumnsAreKeptAndChangedOnesWritten(DatabasePair pair) {
        try (SlotFeed feed = SlotFeed.start(pair, "CREATE TABLE doc (id int PRIMARY KEY, small int, body text,"
                + " note text); ALTER TABLE doc ALTER COLUMN body SET STORAGE EXTERNAL")) {
            pair.source().execute("""
                    INSERT INTO doc SELECT g, g, repeat(md5(g::text), 200), 'n' || g FROM generate_series(1, 50) g;
                    UPDATE doc SET small = small + 1 WHERE id <= 20;
                    UPDATE doc SET note = NULL WHERE id BETWEEN 5 AND 10;
                    UPDATE doc SET body = repeat('changed', 1000) WHERE id = 3;
                    UPDATE doc SET body = NULL, small = 0 WHERE id = 4;
                    UPDATE doc SET id = id + 1000 WHERE id = 7;
                    DELETE FROM doc WHERE id = 30""");
            List<StoredChange> changes = feed.take();
            assertThat(changes.stream().filter(c -> c.type() == 'U').map(c -> PgOutputDecoder.decode(c.message()))
                    .map(m -> ((PgOutputMessage.Update) m).newTuple()).anyMatch(t -> t.unchanged(2)))
                    .as("the source sent unchanged TOAST markers").isTrue();
            feed.applyAll(changes);
            assertSame(feed);
            assertThat(pair.target().queryForLong("SELECT count(*) FROM doc WHERE body IS NULL")).isEqualTo(1);
        }
    }

    @Test
    void aTransactionThatChangesNothingOnTheTargetStillAdvancesTheOrigin(DatabasePair pair) {
        try (SlotFeed feed = SlotFeed.start(pair, "CREATE TABLE doc (id int PRIMARY KEY, body text);"
                + " ALTER TABLE doc ALTER COLUMN body SET STORAGE EXTERNAL")) {
            pair.source().execute("INSERT INTO doc VALUES (1, repeat(md5('x'), 200))");
            feed.applyAll(feed.take());
            // The key unchanged, the TOASTed value unchanged: nothing to write on the target.
            pair.source().execute("UPDATE doc SET id = id");
            List<StoredChange> changes = feed.take();
            assertThat(changes.stream().map(StoredChange::type).toList()).containsExactly('B', 'R', 'U', 'C');
            try (PgOutputApplier applier = feed.applier()) {
                long applied = applier.apply(changes.iterator(), Long.MAX_VALUE);
                assertThat(applier.appliedUpTo()).as("the durable progress").isEqualTo(applied);
            }
            assertSame(feed);
        }
    }

    @Test
    void aTableWithoutKeyUnderReplicaIdentityFullChangesOneRowOfDuplicates(DatabasePair pair) {
        try (SlotFeed feed = SlotFeed.start(pair, "CREATE TABLE bag (a int, b text, j json, p point);"
                + " ALTER TABLE bag REPLICA IDENTITY FULL")) {
            pair.source().execute("""
                    INSERT INTO bag VALUES (1, 'x', '{"a": 1}', '(1,1)'), (1, 'x', '{"a": 1}', '(1,1)'),
                      (2, NULL, NULL, NULL), (2, NULL, NULL, NULL), (3, 'y', '[1]', '(0,0)');
                    UPDATE bag SET b = 'changed' WHERE ctid = (SELECT ctid FROM bag WHERE a = 1 LIMIT 1);
                    DELETE FROM bag WHERE ctid = (SELECT ctid FROM bag WHERE a = 2 LIMIT 1);
                    UPDATE bag SET p = '(9,9)' WHERE a = 3""");
            feed.applyAll(feed.take());
            assertSame(feed);
            assertThat(pair.target().queryForLong("SELECT count(*) FROM bag WHERE a = 2")).isEqualTo(1);
        }
    }

    @Test
    void aReplicaIdentityUsingAnIndexFindsRowsByThatIndexsColumns(DatabasePair pair) {
        try (SlotFeed feed = SlotFeed.start(pair, "CREATE TABLE person (code text NOT NULL, region int NOT NULL,"
                + " name text); CREATE UNIQUE INDEX person_code ON person (code, region);"
                + " ALTER TABLE person REPLICA IDENTITY USING INDEX person_code")) {
            pair.source().execute("""
                    INSERT INTO person SELECT 'c' || g, g % 3, 'n' || g FROM generate_series(1, 100) g;
                    UPDATE person SET name = 'renamed' WHERE region = 1;
                    UPDATE person SET code = code || 'x' WHERE region = 2;
                    DELETE FROM person WHERE code LIKE 'c1%'""");
            List<StoredChange> changes = feed.take();
            assertThat(changes.stream().filter(c -> c.type() == 'U').map(c -> (PgOutputMessage.Update)
                    PgOutputDecoder.decode(c.message())).anyMatch(u -> u.oldKind() == 'K'))
                    .as("a changed key sends the old key").isTrue();
            feed.applyAll(changes);
            assertSame(feed);
        }
    }

    @Test
    void truncateCascadesAndRestartsIdentityAsTheSourceDid(DatabasePair pair) {
        try (SlotFeed feed = SlotFeed.start(pair, """
                CREATE TABLE parent (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);
                CREATE TABLE child (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                  parent int REFERENCES parent, v text);
                CREATE TABLE other (id serial PRIMARY KEY)""")) {
            pair.source().execute("""
                    INSERT INTO parent (v) SELECT 'p' || g FROM generate_series(1, 10) g;
                    INSERT INTO child (parent, v) SELECT g, 'c' FROM generate_series(1, 10) g;
                    INSERT INTO other DEFAULT VALUES""");
            feed.applyAll(feed.take());
            assertSame(feed);
            pair.source().execute("TRUNCATE parent RESTART IDENTITY CASCADE");
            feed.applyAll(feed.take());
            assertThat(pair.target().queryForLong("SELECT count(*) FROM child")).isZero();
            assertThat(pair.target().queryForString("SELECT is_called FROM parent_id_seq"))
                    .as("RESTART IDENTITY reached the target").isEqualTo("f");
            assertThat(pair.target().queryForLong("SELECT count(*) FROM other")).isOne();
            pair.source().execute("INSERT INTO parent (v) VALUES ('again'); INSERT INTO child (parent) VALUES (1)");
            feed.applyAll(feed.take());
            assertSame(feed);
        }
    }

    @Test
    void aPartitionedTableTakesItsRowsThroughTheRoot(DatabasePair pair) {
        try (SlotFeed feed = SlotFeed.start(pair, """
                CREATE TABLE measure (id int, at date, v numeric, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
                CREATE TABLE measure_2023 PARTITION OF measure FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
                CREATE TABLE measure_2024 PARTITION OF measure FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                CREATE TABLE log (k int, v text) PARTITION BY LIST (k);
                CREATE TABLE log_1 PARTITION OF log FOR VALUES IN (1);
                CREATE TABLE log_2 PARTITION OF log FOR VALUES IN (2);
                ALTER TABLE log REPLICA IDENTITY FULL; ALTER TABLE log_1 REPLICA IDENTITY FULL;
                ALTER TABLE log_2 REPLICA IDENTITY FULL""")) {
            pair.source().execute("""
                    INSERT INTO measure SELECT g, date '2023-06-01' + g, g FROM generate_series(1, 400) g;
                    UPDATE measure SET at = at + 365 WHERE id = 5;
                    UPDATE measure SET v = -1 WHERE id = 6;
                    DELETE FROM measure WHERE id = 7;
                    INSERT INTO log VALUES (1, 'a'), (1, 'a'), (2, 'b');
                    UPDATE log SET k = 2 WHERE (tableoid, ctid) = (SELECT tableoid, ctid FROM log_1 LIMIT 1);
                    DELETE FROM log WHERE v = 'b'""");
            feed.applyAll(feed.take());
            assertSame(feed);
            assertThat(pair.target().queryForLong("SELECT count(*) FROM measure_2024")).isEqualTo(
                    pair.source().queryForLong("SELECT count(*) FROM measure_2024"));
        }
    }

    @Test
    void generatedColumnsAreLeftToTheTargetAndIdentityColumnsKeepTheSourceValues(DatabasePair pair) {
        try (SlotFeed feed = SlotFeed.start(pair, "CREATE TABLE g (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " a int, twice int GENERATED ALWAYS AS (a * 2) STORED);"
                + " CREATE TABLE only_generated (one int GENERATED ALWAYS AS (1) STORED)")) {
            pair.source().execute("""
                    INSERT INTO only_generated SELECT FROM generate_series(1, 3);
                    INSERT INTO g (a) SELECT g FROM generate_series(1, 30) g;
                    UPDATE g SET a = a + 100 WHERE id % 3 = 0;
                    DELETE FROM g WHERE id = 4""");
            feed.applyAll(feed.take());
            assertSame(feed);
        }
    }

    @Test
    void multiStatementTransactionsApplyWholeAndRolledBackOnesNever(DatabasePair pair) {
        try (SlotFeed feed = SlotFeed.start(pair, "CREATE TABLE a (id int PRIMARY KEY, v text);"
                + " CREATE TABLE b (id int PRIMARY KEY, a int REFERENCES a, v text)")) {
            pair.source().execute("""
                    BEGIN; INSERT INTO a VALUES (1, 'x'), (2, 'y'); INSERT INTO b VALUES (1, 1, 'b');
                    UPDATE a SET v = 'z' WHERE id = 2; INSERT INTO a VALUES (3, 'w'); DELETE FROM b WHERE id = 1;
                    INSERT INTO b VALUES (2, 3, 'c'); COMMIT;
                    BEGIN; INSERT INTO a VALUES (9, 'never'); ROLLBACK;
                    BEGIN; UPDATE b SET v = 'd'; DELETE FROM a WHERE id = 1; COMMIT""");
            feed.applyAll(feed.take());
            assertSame(feed);
        }
    }

    @Test
    void theSameChangesAppliedTwiceApplyOnce(DatabasePair pair) {
        try (SlotFeed feed = SlotFeed.start(pair, "CREATE TABLE counter (id int PRIMARY KEY, n int)")) {
            pair.source().execute("INSERT INTO counter VALUES (1, 0)");
            for (int i = 0; i < 5; i++) {
                pair.source().execute("UPDATE counter SET n = n + 1; INSERT INTO counter VALUES (" + (i + 10) + ", 1)");
            }
            List<StoredChange> changes = feed.peek();
            long first = feed.applyAll(changes);
            try (PgOutputApplier again = feed.applier()) {
                assertThat(again.appliedUpTo()).isEqualTo(first);
                assertThat(again.apply(changes.iterator(), Long.MAX_VALUE)).isEqualTo(first);
                assertThat(again.statistics().transactions()).as("a restart applies none twice").isZero();
            }
            assertSame(feed);
            assertThat(pair.target().queryForLong("SELECT n FROM counter WHERE id = 1")).isEqualTo(5);
        }
    }

    @Test
    void endposStopsAfterTheWholeTransactionItFallsIn(DatabasePair pair) {
        try (SlotFeed feed = SlotFeed.start(pair, "CREATE TABLE t (id int PRIMARY KEY)")) {
            pair.source().execute("INSERT INTO t VALUES (1)");
            pair.source().execute("INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)");
            pair.source().execute("INSERT INTO t VALUES (4)");
            List<StoredChange> changes = feed.peek();
            StoredChange insideSecond = changes.stream().filter(c -> c.type() == 'I').skip(1).findFirst().orElseThrow();
            int cut = changes.indexOf(insideSecond) + 1;
            for (boolean backlog : List.of(false, true)) {
                pair.target().execute("TRUNCATE t");
                pair.target().queryForString("SELECT pg_replication_origin_advance('" + feed.origin() + "', '0/0')");
                try (PgOutputApplier applier = feed.applier()) {
                    // Changes cut inside the second transaction: it is rolled back, the first stays.
                    long afterFirst = applier.apply(iterator(changes.subList(0, cut), backlog), Long.MAX_VALUE);
                    assertThat(pair.target().queryForLong("SELECT count(*) FROM t")).as("backlog %s", backlog).isOne();
                    // An endpos inside the second transaction (its first change; the first transaction ends right
                    // before it): the second is applied whole, the third not.
                    long stopped = applier.apply(iterator(changes, backlog), insideSecond.lsn() + 1);
                    assertThat(stopped).isGreaterThan(insideSecond.lsn()).isGreaterThan(afterFirst);
                    assertThat(pair.target().queryForString("SELECT string_agg(id::text, ',' ORDER BY id) FROM t"))
                            .as("backlog %s", backlog).isEqualTo("1,2,3");
                    assertThat(applier.appliedUpTo()).isEqualTo(stopped);
                    assertThat(applier.apply(iterator(changes, backlog), Long.MAX_VALUE)).isGreaterThan(stopped);
                }
                assertThat(pair.target().queryForLong("SELECT count(*) FROM t")).isEqualTo(4);
            }
        }
    }

    private static java.util.Iterator<StoredChange> iterator(List<StoredChange> changes, boolean backlog) {
        return backlog ? SlotFeed.backlog(changes) : changes.iterator();
    }

    @Test
    void aTableAlteredOnTheSourceIsWrittenInItsNewShape(DatabasePair pair) {
        try (SlotFeed feed = SlotFeed.start(pair, "CREATE TABLE t (id int PRIMARY KEY, a text)");
                PgOutputApplier applier = feed.applier()) {
            pair.source().execute("INSERT INTO t VALUES (1, 'a')");
            applier.apply(feed.take().iterator(), Long.MAX_VALUE);
            for (String ddl : List.of("ALTER TABLE t ADD COLUMN b int DEFAULT 7", "ALTER TABLE t DROP COLUMN a")) {
                pair.source().execute(ddl);
                pair.target().execute(ddl);
                pair.source().execute("INSERT INTO t (id, b) VALUES (" + ddl.length() + ", 8); UPDATE t SET b = 9");
                List<StoredChange> changes = feed.take();
                assertThat(changes.stream().filter(c -> c.type() == 'R')).as("a relation message").isNotEmpty();
                applier.apply(changes.iterator(), Long.MAX_VALUE);
            }
            assertSame(feed);
        }
    }

    @Test
    void aTableMissingOnTheTargetIsNamedAndNothingOfItsTransactionStays(DatabasePair pair) {
        try (SlotFeed feed = SlotFeed.start(pair, "CREATE TABLE kept (id int PRIMARY KEY)")) {
            pair.source().execute("CREATE TABLE gone (id int PRIMARY KEY)");
            pair.source().execute("BEGIN; INSERT INTO kept VALUES (1); INSERT INTO gone VALUES (1); COMMIT");
            try (PgOutputApplier applier = feed.applier()) {
                assertThatThrownBy(() -> applier.apply(feed.peek().iterator(), Long.MAX_VALUE))
                        .isInstanceOf(ApplyException.class).hasMessageContaining("no table public.gone");
                assertThat(applier.appliedUpTo()).isZero();
            }
            assertThat(pair.target().queryForLong("SELECT count(*) FROM kept")).isZero();
        }
    }
}
