package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.TableComparison;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import io.pgcopydb.testkit.server.Sql;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code DatabaseCompare.data()} on two real servers: the same data on both sides is identical, then one change
 * at a time on the target, each named exactly.
 */
@ExtendWith(PostgresPairExtension.class)
class DataCompareIT {
    /** Run on both sides: the same rows, sequence values and large objects. */
    private static final String FIXTURE = """
            CREATE TABLE film (id int PRIMARY KEY, title text NOT NULL, price numeric(5,2), released timestamptz,
                               length interval, tags jsonb, poster bytea, rating float8, active boolean);
            INSERT INTO film SELECT g, 'Film ' || g || E' "quoted" \\\\ back \\u00e9\\u4e2d',
                   (g % 50) + 0.99, timestamptz '2020-01-01 00:00+00' + g * interval '1 day 1 second',
                   g * interval '1 minute', jsonb_build_object('n', g, 's', 'it''s'),
                   decode(md5(g::text), 'hex'), g / 3.0, g % 2 = 0
            FROM generate_series(1, 500) g;
            CREATE TABLE note (body text, n int);
            INSERT INTO note SELECT 'note ' || g, g % 3 FROM generate_series(1, 20) g;
            INSERT INTO note VALUES (NULL, NULL);
            CREATE TABLE t (id int PRIMARY KEY, v text);
            INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 10) g;
            CREATE UNLOGGED TABLE cache (k bigint PRIMARY KEY, v text);
            INSERT INTO cache SELECT g, repeat('c', g) FROM generate_series(1, 30) g;
            CREATE TABLE measurement (id int PRIMARY KEY, v float8) PARTITION BY RANGE (id);
            CREATE TABLE measurement_low PARTITION OF measurement FOR VALUES FROM (0) TO (1000);
            CREATE TABLE measurement_high PARTITION OF measurement FOR VALUES FROM (1000) TO (2000);
            INSERT INTO measurement SELECT g, g / 7.0 FROM generate_series(0, 1999, 3) g;
            CREATE SCHEMA "Odd ""Schema""\";
            CREATE TABLE "Odd ""Schema""\"."Tab le" ("Key" smallint PRIMARY KEY, "select" text);
            INSERT INTO "Odd ""Schema""\"."Tab le" SELECT g, 'x' FROM generate_series(1, 10) g;
            CREATE MATERIALIZED VIEW film_price AS SELECT price, count(*) AS n FROM film GROUP BY price;
            CREATE MATERIALIZED VIEW film_titles AS SELECT id, title FROM film WITH NO DATA;
            CREATE SEQUENCE ticket;
            SELECT setval('ticket', 42);
            SELECT lo_from_bytea(424242, 'hello large object'::bytea);
            SELECT lo_from_bytea(424243, decode(repeat('00ff', 600000), 'hex'));
            """;

    private static final List<String> TABLES = List.of("Odd \"Schema\".Tab le", "public.cache", "public.film",
            "public.film_price", "public.measurement_high", "public.measurement_low", "public.note", "public.t");

    @Test
    void theSameDataIsIdentical(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "SELECT 1");

        assertThat(report.differences()).isEmpty();
        assertThat(report.isIdentical()).isTrue();
        assertThat(report.dataCompared()).isTrue();
        assertThat(report.tables()).extracting(t -> t.table().toString()).as("tables by name, matview unpopulated "
                + "on both sides left out, partitioned parent left out").containsExactlyElementsOf(TABLES);
        assertThat(report.tables()).allMatch(TableComparison::identical);
        long rows = pair.source().queryForLong("SELECT (SELECT count(*) FROM film) + (SELECT count(*) FROM note)"
                + " + (SELECT count(*) FROM t) + (SELECT count(*) FROM cache) + (SELECT count(*) FROM measurement)"
                + " + (SELECT count(*) FROM film_price) + 10");
        assertThat(report.rowsCompared()).as("each row once, not once per side").isEqualTo(rows);
    }

    @Test
    void aChangedValueIsFoundInItsKeyRange(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "UPDATE film SET title = 'changed' WHERE id = 250");

        assertThat(named(report)).containsExactly("rows of public.film | rows in id >= 1 AND id < 501");
        Difference d = report.differences().get(0);
        assertThat(d.area()).isEqualTo(Difference.Area.DATA);
        assertThat(d.source().orElseThrow()).startsWith("500 rows, checksum ");
        assertThat(d.target().orElseThrow()).startsWith("500 rows, checksum ").isNotEqualTo(d.source().get());
        TableComparison film = table(report, "public.film");
        assertThat(film.identical()).isFalse();
        assertThat(film.sourceRows()).isEqualTo(500);
        assertThat(film.targetRows()).isEqualTo(500);
        assertThat(film.differingRanges()).containsExactly("id >= 1 AND id < 501");
    }

    @Test
    void aMissingRowIsFound(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "DELETE FROM film WHERE id = 7");

        assertThat(named(report)).containsExactly("rows of public.film | rows in id >= 1 AND id < 501");
        assertThat(report.differences().get(0).target().orElseThrow()).startsWith("499 rows");
        assertThat(table(report, "public.film").targetRows()).isEqualTo(499);
    }

    @Test
    void anExtraRowIsFound(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "INSERT INTO film (id, title) VALUES (501, 'extra')");

        assertThat(named(report)).containsExactly("rows of public.film | rows in id >= 1 AND id < 502");
        assertThat(report.differences().get(0).target().orElseThrow()).startsWith("501 rows");
    }

    @Test
    void aDuplicatedRowIsFoundWhenTheCountStaysTheSame(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "DELETE FROM note WHERE body = 'note 1';"
                + " INSERT INTO note SELECT * FROM note WHERE body = 'note 2'");

        assertThat(named(report)).as("no key: one difference for the table").containsExactly("rows of public.note | rows");
        Difference d = report.differences().get(0);
        assertThat(d.source().orElseThrow()).startsWith("21 rows, checksum ");
        assertThat(d.target().orElseThrow()).startsWith("21 rows, checksum ").isNotEqualTo(d.source().get());
        assertThat(table(report, "public.note").differingRanges()).isEmpty();
    }

    @Test
    void aNullBecomingAValueIsFound(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "UPDATE note SET n = 0 WHERE body IS NULL");

        assertThat(named(report)).containsExactly("rows of public.note | rows");
    }

    @Test
    void aSequenceValueIsFound(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "SELECT setval('ticket', 43)");

        assertThat(report.differences()).containsExactly(Difference.changed(Difference.Area.DATA,
                "sequence public.ticket", "last value", "42", "43"));
    }

    @Test
    void isCalledIsFound(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "SELECT setval('ticket', 42, false)");

        assertThat(report.differences()).containsExactly(Difference.changed(Difference.Area.DATA,
                "sequence public.ticket", "is called", "true", "false"));
    }

    @Test
    void aLargeObjectByteIsFound(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "SELECT lo_put(424243, 1100000, '\\x01')");

        assertThat(named(report)).containsExactly("large object 424243 | data");
        Difference d = report.differences().get(0);
        assertThat(d.source().orElseThrow()).startsWith("1200000 bytes, checksum ");
        assertThat(d.target().orElseThrow()).startsWith("1200000 bytes, checksum ").isNotEqualTo(d.source().get());
    }

    @Test
    void aMissingLargeObjectIsFound(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "SELECT lo_unlink(424242)");

        assertThat(named(report)).containsExactly("large object 424242 | exists");
        assertThat(report.differences().get(0).missingOnTarget()).isTrue();
    }

    @Test
    void aLargeObjectOwnerIsFound(DatabasePair pair) {
        String role = "lo_owner_" + ProcessHandle.current().pid();
        pair.target().server().execute(pair.target().server().maintenanceDatabase(), "CREATE ROLE " + role);
        try {
            CompareReport report = afterOnTarget(pair, "ALTER LARGE OBJECT 424242 OWNER TO " + role);

            assertThat(named(report)).containsExactly("large object 424242 | owner");
            assertThat(report.differences().get(0).target()).contains(role);
        } finally {
            pair.target().execute("ALTER LARGE OBJECT 424242 OWNER TO CURRENT_USER");
            pair.target().server().execute(pair.target().server().maintenanceDatabase(), "DROP ROLE " + role);
        }
    }

    @Test
    void aLargeObjectAclIsFound(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "GRANT SELECT ON LARGE OBJECT 424242 TO PUBLIC");

        assertThat(named(report)).containsExactly("large object 424242 | acl");
        assertThat(report.differences().get(0).source()).contains("(default)");
    }

    @Test
    void aMaterializedViewRefreshedOnOneSideOnlyIsFound(DatabasePair pair) {
        String insert = "INSERT INTO film (id, title, price) VALUES (501, 'new', 999.99)";
        pair.source().execute(FIXTURE + insert);
        pair.target().execute(FIXTURE + insert + "; REFRESH MATERIALIZED VIEW film_price");

        CompareReport report = data(pair, Filters.none());

        assertThat(named(report)).containsExactly("rows of public.film_price | rows");
    }

    @Test
    void anUnpopulatedMaterializedViewMustStayUnpopulated(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "REFRESH MATERIALIZED VIEW film_titles");

        assertThat(report.differences()).containsExactly(Difference.changed(Difference.Area.DATA,
                "materialized view public.film_titles", "populated", "false", "true"));
    }

    @Test
    void rowsOfALeafPartitionAreFound(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "UPDATE measurement SET v = v + 1 WHERE id = 1500");

        assertThat(named(report)).containsExactly("rows of public.measurement_high | rows in id >= 1002 AND id < 1999");
    }

    @Test
    void aKeyNeedingQuotesIsNarrowedAndShownQuoted(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "UPDATE \"Odd \"\"Schema\"\"\".\"Tab le\" SET \"select\" = 'y'"
                + " WHERE \"Key\" = 3");

        assertThat(named(report)).as("named as format('%I.%I') names it, like the schema comparison")
                .containsExactly("rows of \"Odd \"\"Schema\"\"\".\"Tab le\" | rows in \"Key\" >= 1 AND \"Key\" < 11");
    }

    @Test
    void rowsInAnotherOrderAreIdentical(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "CREATE TEMP TABLE f AS SELECT * FROM film WHERE id % 3 = 0;"
                + " DELETE FROM film WHERE id % 3 = 0; INSERT INTO film SELECT * FROM f ORDER BY id DESC;"
                + " CREATE TEMP TABLE n AS SELECT * FROM note; DELETE FROM note;"
                + " INSERT INTO note SELECT * FROM n ORDER BY body DESC NULLS FIRST");

        String physicalOrder = "SELECT string_agg(id::text, ',') FROM film";
        assertThat(pair.target().queryForString(physicalOrder)).as("the rows are stored in another order")
                .isNotEqualTo(pair.source().queryForString(physicalOrder));
        assertThat(report.differences()).isEmpty();
    }

    @Test
    void narrowingFindsTheRangeOfAChangedRowAmongAHundredThousand(DatabasePair pair) {
        String big = "CREATE TABLE big (id bigint PRIMARY KEY, v text);"
                + " INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 100000) g;";
        pair.source().execute(FIXTURE + big);
        pair.target().execute(FIXTURE + big + "UPDATE big SET v = 'changed' WHERE id = 54321");

        CompareReport report = data(pair, Filters.none());

        assertThat(named(report)).containsExactly("rows of public.big | rows in id >= 54000 AND id < 55000");
        assertThat(table(report, "public.big").differingRanges()).containsExactly("id >= 54000 AND id < 55000");
        assertThat(report.differences().get(0).source().orElseThrow()).startsWith("1000 rows, checksum ");
    }

    @Test
    void excludedTableDataIsNotCompared(DatabasePair pair) {
        CompareReport all = afterOnTarget(pair, "UPDATE t SET v = 'changed' WHERE id = 4");
        assertThat(named(all)).containsExactly("rows of public.t | rows in id >= 1 AND id < 11");

        CompareReport filtered = data(pair, Filters.none().excludeTableData("public.t"));

        assertThat(filtered.differences()).isEmpty();
        assertThat(filtered.tables()).extracting(t -> t.table().toString()).doesNotContain("public.t")
                .contains("public.film");
    }

    @Test
    void aTableOnOneSideOnlyIsReported(DatabasePair pair) {
        CompareReport report = afterOnTarget(pair, "CREATE TABLE extra (a int); INSERT INTO extra VALUES (1), (2), (3)");

        assertThat(named(report)).containsExactly("rows of public.extra | exists");
        assertThat(report.differences().get(0).extraOnTarget()).isTrue();
        TableComparison extra = table(report, "public.extra");
        assertThat(extra.sourceRows()).isZero();
        assertThat(extra.targetRows()).isEqualTo(3);
        assertThat(extra.identical()).isFalse();
    }

    @Test
    void theTargetsSessionDefaultsDoNotChangeTheFigures(DatabasePair pair) {
        pair.source().execute(FIXTURE);
        pair.target().execute(FIXTURE);
        pair.target().execute("ALTER DATABASE " + Sql.quoteIdent(pair.target().name()) + " SET TimeZone = 'Asia/Tokyo';"
                + " ALTER DATABASE " + Sql.quoteIdent(pair.target().name()) + " SET DateStyle = 'SQL, DMY';"
                + " ALTER DATABASE " + Sql.quoteIdent(pair.target().name()) + " SET IntervalStyle = 'sql_standard';"
                + " ALTER DATABASE " + Sql.quoteIdent(pair.target().name()) + " SET extra_float_digits = -3;"
                + " ALTER DATABASE " + Sql.quoteIdent(pair.target().name()) + " SET bytea_output = 'escape'");
        // pgjdbc itself sends TimeZone, DateStyle and extra_float_digits; IntervalStyle and bytea_output it does not.
        String text = "SELECT length::text || ' ' || poster::text FROM film WHERE id = 1";
        assertThat(pair.target().queryForString(text)).as("the target's default session prints differently")
                .isNotEqualTo(pair.source().queryForString(text));

        assertThat(data(pair, Filters.none()).differences()).isEmpty();
    }

    @Test
    void aPagilaCopyByTheLibraryIsIdentical(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        CopyAssertions.copy(pair, new RecordingListener(), b -> b);

        CompareReport report = data(pair, Filters.none());

        assertThat(report.differences()).as(report.toText()).isEmpty();
        assertThat(report.tables()).extracting(t -> t.table().toString()).contains("public.rental", "public.film",
                "public.payment_p2022_01");
        assertThat(report.rowsCompared()).isGreaterThan(40_000);
    }

    @Test
    void manyLargeObjectDifferencesAreListedUpToALimitWithOneJob(DatabasePair pair) {
        String many = "SELECT lo_from_bytea(500000 + g, convert_to(g::text, 'UTF8')) FROM generate_series(1, 1100) g";
        pair.source().execute(FIXTURE + many);
        pair.target().execute(FIXTURE + many + "; SELECT lo_unlink(500000 + g) FROM generate_series(1, 1100) g");

        CompareReport report = DatabaseCompare.of(CopyAssertions.spec(pair.source()),
                CopyAssertions.spec(pair.target())).jobs(1).data();

        assertThat(report.differences()).hasSize(1001);
        assertThat(named(report).get(0)).isEqualTo("large object 500001 | exists");
        assertThat(report.differences().get(1000)).isEqualTo(Difference.changed(Difference.Area.DATA, "large objects",
                "differences not listed", "100", "100"));
    }

    @Test
    void aWriteDuringTheComparisonIsNotSeen(DatabasePair pair) throws Exception {
        pair.source().execute(FIXTURE);
        pair.target().execute(FIXTURE);
        CompareReport report;
        try (Connection lock = pair.source().connect()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE film IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<CompareReport> running = CompletableFuture.supplyAsync(() -> DatabaseCompare.of(
                    CopyAssertions.spec(pair.source()), CopyAssertions.spec(pair.target())).jobs(1).data());
            // Once a session of the comparison waits for the lock, both snapshots have been taken.
            String waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND application_name = 'pgcopydb source' AND wait_event_type = 'Lock'";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (pair.source().queryForLong(waiting) == 0) {
                assertThat(System.nanoTime()).as("a comparison session waits for the lock").isLessThan(deadline);
                Thread.sleep(50);
            }
            pair.source().execute("INSERT INTO t VALUES (11, 'written during the comparison')");
            lock.commit();
            report = running.get(60, TimeUnit.SECONDS);
        }

        assertThat(report.differences()).as("the row came after the snapshot").isEmpty();
        assertThat(named(data(pair, Filters.none()))).containsExactly("rows of public.t | rows in id >= 1 AND id < 12");
    }

    @Test
    void anUnreachableTargetIsATypedFailure(DatabasePair pair) {
        assertThatThrownBy(() -> DatabaseCompare.of(CopyAssertions.spec(pair.source()),
                ConnectionSpec.parse("postgres://nobody@127.0.0.1:1/none")).data())
                .isInstanceOfSatisfying(PgCopyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_UNREACHABLE));
    }

    private static CompareReport afterOnTarget(DatabasePair pair, String change) {
        pair.source().execute(FIXTURE);
        pair.target().execute(FIXTURE);
        pair.target().execute(change);
        return data(pair, Filters.none());
    }

    private static CompareReport data(DatabasePair pair, Filters filters) {
        return DatabaseCompare.of(CopyAssertions.spec(pair.source()), CopyAssertions.spec(pair.target()))
                .filter(filters).jobs(2).data();
    }

    /** Each difference as {@code object | aspect}. */
    private static List<String> named(CompareReport report) {
        return report.differences().stream().map(d -> d.object() + " | " + d.aspect()).toList();
    }

    private static TableComparison table(CompareReport report, String name) {
        return report.tables().stream().filter(t -> t.table().toString().equals(name)).findFirst().orElseThrow();
    }
}
