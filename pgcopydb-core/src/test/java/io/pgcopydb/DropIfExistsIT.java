package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.filter.Filters;
import io.pgcopydb.model.Side;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import io.pgcopydb.testkit.server.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code dropIfExists} replaces an older copy on the target, and touches nothing the source does not have. */
@ExtendWith(PostgresPairExtension.class)
class DropIfExistsIT {

    /** Turns a fresh pagila into an older, different copy of it, beside an unrelated table that must survive. */
    private static final String OLDER_COPY = """
            DELETE FROM payment WHERE payment_id % 3 = 0;
            UPDATE film SET title = lower(title) WHERE film_id < 100;
            ALTER TABLE film ADD COLUMN old_column int;
            CREATE INDEX film_old_idx ON film (release_year);
            DROP VIEW sales_by_store;
            CREATE OR REPLACE FUNCTION last_day(timestamp with time zone) RETURNS date
                LANGUAGE sql IMMUTABLE AS 'SELECT NULL::date';
            SELECT setval('actor_actor_id_seq', 9999);
            REFRESH MATERIALIZED VIEW rental_by_category;
            SELECT lo_from_bytea(4242, 'an older and longer large object');
            CREATE SCHEMA keep;
            CREATE TABLE keep.keep_me (id int PRIMARY KEY, note text);
            INSERT INTO keep.keep_me VALUES (1, 'one'), (2, 'two'), (3, 'three');
            """;

    @Test
    void anOlderCopyBecomesAnExactCopyAndUnrelatedObjectsSurvive(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        pair.source().execute("SELECT lo_from_bytea(4242, 'new')");
        Datasets.loadPagila(pair.target());
        pair.target().execute(OLDER_COPY);

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.dropIfExists());

        assertThat(report.succeeded()).isTrue();
        // The schema "keep" exists only on the target: the copy of everything but "keep" is exact.
        CopyAssertions.assertIdentical(CopyAssertions.compare(pair.source(), pair.target(),
                Filters.none().excludeSchema("keep")));
        assertThat(pair.target().queryForString("SELECT string_agg(id || ':' || note, ',' ORDER BY id) FROM keep.keep_me"))
                .as("the unrelated table and its rows").isEqualTo("1:one,2:two,3:three");
        assertThat(pair.target().queryForString("SELECT convert_from(lo_get(4242), 'UTF8')")).isEqualTo("new");
        assertThat(pair.target().queryForString(
                "SELECT relispopulated::text FROM pg_class WHERE relname = 'rental_by_category'"))
                .as("recreated as on the source: unpopulated").isEqualTo("false");
    }

    @Test
    void withoutDropIfExistsANonEmptyTargetIsRefusedAndLeftUntouched(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        Datasets.loadPagila(pair.target());
        pair.target().execute(OLDER_COPY);
        String before = rowCounts(pair.target());

        PgCopyException e = catchThrowableOfType(PgCopyException.class,
                () -> CopyAssertions.copy(pair, new RecordingListener(), b -> b));

        assertThat(e.code()).isEqualTo(ErrorCode.TARGET_NOT_EMPTY);
        assertThat(ProblemAssertions.problem(e, ErrorCode.TARGET_NOT_EMPTY, Side.TARGET, pair.target().name())
                .remedy()).contains("dropIfExists()");
        assertThat(e.getMessage()).contains("not empty").contains("dropIfExists");
        assertThat(rowCounts(pair.target())).as("row counts of every table").isEqualTo(before);
        assertThat(pair.target().queryForString("SELECT to_regclass('public.sales_by_store')")).isNull();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM film WHERE title <> upper(title)")).isEqualTo(99);
    }

    @Test
    void refusesToCascadeIntoObjectsTheSourceDoesNotHave(DatabasePair pair) {
        pair.source().execute("""
                CREATE TABLE film (id int PRIMARY KEY, title text); INSERT INTO film VALUES (1, 'New');
                CREATE VIEW film_titles AS SELECT title FROM film;
                """);
        pair.target().execute("""
                CREATE TABLE film (id int PRIMARY KEY, title text); INSERT INTO film VALUES (1, 'Old'), (2, 'Older');
                CREATE VIEW film_titles AS SELECT title FROM film;
                CREATE SCHEMA keep;
                CREATE VIEW keep.titles AS SELECT upper(title) AS title FROM public.film;
                CREATE TABLE keep.rentals (film_id int REFERENCES public.film); INSERT INTO keep.rentals VALUES (2);
                """);

        PgCopyException e = catchThrowableOfType(PgCopyException.class,
                () -> CopyAssertions.copy(pair, new RecordingListener(), b -> b.dropIfExists()));

        assertThat(e.code()).isEqualTo(ErrorCode.DROP_WOULD_CASCADE);
        ProblemAssertions.codes(e, ErrorCode.DROP_WOULD_CASCADE);
        Problem cascade = ProblemAssertions.problem(e, ErrorCode.DROP_WOULD_CASCADE, Side.TARGET,
                "constraint rentals_film_id_fkey on table keep.rentals");
        assertThat(cascade.message()).contains("view keep.titles").contains("nothing was dropped");
        assertThat(e.phase()).contains(Phase.PREPARE_SCHEMA);
        assertThat(e.getMessage()).contains("view keep.titles").contains("constraint rentals_film_id_fkey on table keep.rentals")
                .contains("nothing was dropped").doesNotContain("film_titles").doesNotContain("\n");
        assertThat(pair.target().queryForLong("SELECT count(*) FROM film")).isEqualTo(2);
        assertThat(pair.target().queryForLong("SELECT count(*) FROM keep.titles")).isEqualTo(2);
        assertThat(pair.target().queryForLong(
                "SELECT count(*) FROM pg_constraint WHERE conname = 'rentals_film_id_fkey'")).isEqualTo(1);
    }

    @Test
    void refusesBeforeDroppingAnythingWhenATargetObjectDependsOnASourceFunction(DatabasePair pair) {
        String function = "CREATE FUNCTION public.price_with_tax(numeric) RETURNS numeric LANGUAGE sql IMMUTABLE "
                + "AS 'SELECT $1 * 1.2';";
        pair.source().execute(function + "CREATE TABLE film (id int PRIMARY KEY, price numeric);"
                + "INSERT INTO film VALUES (1, 10)");
        pair.target().execute(function + "CREATE TABLE film (id int PRIMARY KEY, price numeric);"
                + "INSERT INTO film VALUES (1, 9), (2, 8); CREATE SCHEMA keep;"
                + "CREATE VIEW keep.taxed AS SELECT public.price_with_tax(100) AS p");

        PgCopyException e = catchThrowableOfType(PgCopyException.class,
                () -> CopyAssertions.copy(pair, new RecordingListener(), b -> b.dropIfExists()));

        assertThat(e.code()).isEqualTo(ErrorCode.DROP_WOULD_CASCADE);
        Problem refused = ProblemAssertions.problem(e, ErrorCode.DROP_WOULD_CASCADE, Side.TARGET,
                "DROP FUNCTION IF EXISTS public.price_with_tax(numeric)");
        assertThat(refused.message()).contains("view keep.taxed depends on function public.price_with_tax(numeric)")
                .contains("nothing was dropped");
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.film")).as("the table was not dropped")
                .isEqualTo(2);
        assertThat(pair.target().queryForString("SELECT p::text FROM keep.taxed")).isEqualTo("120.0");
    }

    @Test
    void aViewTheSourceHasTooIsDroppedAndRecreated(DatabasePair pair) {
        pair.source().execute("""
                CREATE TABLE film (id int PRIMARY KEY, title text); INSERT INTO film VALUES (1, 'New');
                CREATE VIEW film_titles AS SELECT title FROM film;
                """);
        pair.target().execute("""
                CREATE TABLE film (id int PRIMARY KEY, title text, rating int); INSERT INTO film VALUES (1, 'Old', 3);
                CREATE VIEW film_titles AS SELECT title, rating FROM film;
                """);

        CopyAssertions.copy(pair, new RecordingListener(), b -> b.dropIfExists());

        CopyAssertions.assertIdentical(pair);
        assertThat(pair.target().queryForString("SELECT title FROM film_titles")).isEqualTo("New");
    }

    /** {@code schema.table=count} of every table, in name order. */
    private static String rowCounts(TestDatabase db) {
        return db.queryForString("""
                SELECT string_agg(format('%I.%I=%s', n.nspname, c.relname,
                       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM ONLY %I.%I',
                                                                   n.nspname, c.relname), false, true, '')))[1]::text),
                       ',' ORDER BY n.nspname, c.relname)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname !~ '^pg_toast'
                """);
    }
}
