package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.testkit.ComparisonResult;
import io.pgcopydb.testkit.DatabaseComparison;
import io.pgcopydb.testkit.DatabasePair;
import io.pgcopydb.testkit.Datasets;
import io.pgcopydb.testkit.PostgresPairExtension;
import io.pgcopydb.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Filters applied by a whole copy of pagila: each test ends with the target equal to the source minus exactly
 * what the filter removed. Where the comparison helper cannot express that removal, the test removes it from the
 * source after the copy (dropping the excluded table, index…) and then requires the two to be identical.
 */
@ExtendWith(PostgresPairExtension.class)
class FilterIT {

    @Test
    void excludeTableRemovesItWithItsForeignKeysSequencesCommentsAndGrants(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        pair.source().execute("""
                CREATE TABLE public.film_note (id serial PRIMARY KEY, film_id int NOT NULL REFERENCES film,
                                               body text);
                INSERT INTO public.film_note (film_id, body) SELECT film_id, 'note ' || film_id FROM film;
                CREATE INDEX film_note_film_idx ON public.film_note (film_id);
                COMMENT ON TABLE public.film_note IS 'notes';
                COMMENT ON COLUMN public.film_note.body IS 'the text';
                GRANT SELECT ON public.film_note TO PUBLIC;
                """);

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(),
                b -> b.filter(Filters.none().excludeTable("public.film_note", "public.payment_p2022_07")));

        assertThat(report.succeeded()).isTrue();
        TestDatabase target = pair.target();
        assertThat(target.queryForString("SELECT to_regclass('public.film_note')")).isNull();
        assertThat(target.queryForString("SELECT to_regclass('public.film_note_id_seq')")).as("its owned sequence")
                .isNull();
        assertThat(target.queryForString("SELECT to_regclass('public.payment_p2022_07')")).isNull();
        assertThat(target.queryForLong("SELECT count(*) FROM payment")).isEqualTo(
                pair.source().queryForLong("SELECT count(*) FROM payment")
                        - pair.source().queryForLong("SELECT count(*) FROM payment_p2022_07"));
        // The source minus what the filter removed is the target.
        pair.source().execute("DROP TABLE public.film_note; DROP TABLE public.payment_p2022_07");
        assertIdentical(DatabaseComparison.of(pair.source(), target));
    }

    @Test
    void excludeTableDataWithForeignKeysNotValidKeepsTheEmptyTableAndItsIndexes(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(),
                b -> b.filter(Filters.none().excludeTableData("public.rental")).foreignKeysNotValid());

        assertThat(report.succeeded()).isTrue();
        TestDatabase target = pair.target();
        assertThat(target.queryForLong("SELECT count(*) FROM public.rental")).isZero();
        assertThat(target.queryForString("""
                SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text)
                FROM pg_index WHERE indrelid = 'public.rental'::regclass""")).isEqualTo(
                pair.source().queryForString("""
                        SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text)
                        FROM pg_index WHERE indrelid = 'public.rental'::regclass"""));
        String referencing = """
                SELECT string_agg(conrelid::regclass || '.' || conname || ':' || convalidated, ','
                                  ORDER BY conrelid::regclass::text, conname)
                FROM pg_constraint WHERE contype = 'f' AND confrelid = 'public.rental'::regclass""";
        assertThat(target.queryForString(referencing)).as("the foreign keys referencing rental, NOT VALID")
                .isEqualTo(pair.source().queryForString(referencing).replace(":true", ":false"))
                .contains("payment_p2022_01_rental_id_fkey:false");
        // The source with those foreign keys NOT VALID and rental's rows left out is the target.
        pair.source().execute("""
                DO $$
                DECLARE c record;
                BEGIN
                    FOR c IN SELECT conrelid::regclass AS t, conname, pg_get_constraintdef(oid) AS def
                             FROM pg_constraint WHERE contype = 'f' AND confrelid = 'public.rental'::regclass
                    LOOP
                        EXECUTE format('ALTER TABLE ONLY %s DROP CONSTRAINT %I', c.t, c.conname);
                        EXECUTE format('ALTER TABLE ONLY %s ADD CONSTRAINT %I %s NOT VALID', c.t, c.conname, c.def);
                    END LOOP;
                END $$""");
        assertIdentical(DatabaseComparison.of(pair.source(), target).ignoringTableData("public.rental"));
    }

    @Test
    void excludeTableDataOfAReferencedTableIsRefusedBeforeAnyWrite(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> CopyAssertions.copy(pair,
                new RecordingListener(), b -> b.filter(Filters.none().excludeTableData("public.rental"))));

        assertThat(e.code()).isEqualTo(ErrorCode.PREFLIGHT_FAILED);
        assertThat(e.phase()).contains(Phase.CATALOG);
        assertThat(e.getMessage()).contains("payment_p2022_01_rental_id_fkey").contains("public.rental")
                .contains("excludeTableData").contains("foreignKeysNotValid()");
        assertThat(pair.target().queryForLong("""
                SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'"""))
                .as("nothing written to the target").isZero();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM pg_proc WHERE oid >= 16384")).isZero();
    }

    @Test
    void excludeSchemaLeavesItOutAndCopiesTheRestExactly(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        pair.source().execute("""
                CREATE SCHEMA audit;
                COMMENT ON SCHEMA audit IS 'audit trail';
                CREATE TABLE audit.log (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(),
                                        customer_id int REFERENCES public.customer, what text);
                INSERT INTO audit.log (customer_id, what) SELECT customer_id, 'seen' FROM customer;
                CREATE INDEX log_at_idx ON audit.log (at);
                CREATE FUNCTION audit.count_log() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM audit.log';
                CREATE VIEW audit.recent AS SELECT * FROM audit.log WHERE at > now() - interval '1 day';
                CREATE TYPE audit.level AS ENUM ('info', 'warn');
                GRANT USAGE ON SCHEMA audit TO PUBLIC;
                """);

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(),
                b -> b.filter(Filters.none().excludeSchema("audit")));

        assertThat(report.succeeded()).isTrue();
        assertThat(pair.target().queryForString("SELECT to_regnamespace('audit')::text")).isNull();
        assertIdentical(DatabaseComparison.of(pair.source(), pair.target()).ignoringSchemas("audit"));
    }

    @Test
    void includeOnlyTableWithARegexCopiesOnlyTheMatchingTables(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(),
                b -> b.filter(Filters.none().includeOnlyTable("public.~/^film/")));

        assertThat(report.succeeded()).isTrue();
        TestDatabase target = pair.target();
        assertThat(target.queryForString("""
                SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class
                WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'm', 'v')"""))
                .isEqualTo("film,film_actor,film_category");
        for (String table : new String[] {"film", "film_actor", "film_category"}) {
            String rows = "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM public." + table + " t";
            assertThat(target.queryForString(rows)).as(table).isEqualTo(pair.source().queryForString(rows));
        }
        assertThat(target.queryForString("""
                SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint
                WHERE contype = 'f' AND connamespace = 'public'::regnamespace"""))
                .as("only the foreign keys between copied tables")
                .isEqualTo("film_actor_film_id_fkey,film_category_film_id_fkey");
        assertThat(target.queryForString("""
                SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text)
                FROM pg_index WHERE indrelid = 'public.film'::regclass""")).isEqualTo(
                "film_fulltext_idx,film_pkey,idx_fk_language_id,idx_fk_original_language_id,idx_title");
        assertThat(target.queryForString("SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger"
                + " WHERE tgrelid = 'public.film'::regclass AND NOT tgisinternal"))
                .isEqualTo("film_fulltext_trigger,last_updated");
        assertThat(target.queryForString("SELECT last_value::text FROM public.film_film_id_seq"))
                .isEqualTo(pair.source().queryForString("SELECT last_value::text FROM public.film_film_id_seq"));
    }

    @Test
    void excludeIndexLeavesOnlyThatIndexOut(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(),
                b -> b.filter(Filters.none().excludeIndex("public.idx_title",
                        "public.idx_fk_payment_p2022_01_staff_id")));

        assertThat(report.succeeded()).isTrue();
        assertThat(pair.target().queryForString("SELECT to_regclass('public.idx_title')")).isNull();
        assertThat(pair.target().queryForString("SELECT to_regclass('public.idx_fk_payment_p2022_01_staff_id')"))
                .isNull();
        pair.source().execute("DROP INDEX public.idx_title; DROP INDEX public.idx_fk_payment_p2022_01_staff_id");
        assertIdentical(DatabaseComparison.of(pair.source(), pair.target()));
    }

    @Test
    void aMaterializedViewExcludedAsDataIsCreatedUnpopulated(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        pair.source().execute("""
                CREATE MATERIALIZED VIEW public.films_by_rating AS
                    SELECT rating, count(*) AS films FROM film GROUP BY rating;
                CREATE UNIQUE INDEX films_by_rating_idx ON public.films_by_rating (rating);
                CREATE MATERIALIZED VIEW public.films_by_year AS
                    SELECT release_year, count(*) AS films FROM film GROUP BY release_year;
                """);

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(),
                b -> b.filter(Filters.none().excludeTableData("public.films_by_rating")));

        assertThat(report.succeeded()).isTrue();
        TestDatabase target = pair.target();
        assertThat(target.queryForString(
                "SELECT relispopulated::text FROM pg_class WHERE oid = 'public.films_by_rating'::regclass"))
                .isEqualTo("false");
        assertThat(target.queryForString(
                "SELECT relispopulated::text FROM pg_class WHERE oid = 'public.films_by_year'::regclass"))
                .as("the other matview is refreshed").isEqualTo("true");
        assertThat(target.queryForString("SELECT to_regclass('public.films_by_rating_idx')::text"))
                .isEqualTo("films_by_rating_idx");
        pair.source().execute("REFRESH MATERIALIZED VIEW public.films_by_rating WITH NO DATA");
        assertIdentical(DatabaseComparison.of(pair.source(), target));
    }

    @Test
    void dropIfExistsDropsOnlyTheSelectedTables(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        Datasets.loadPagila(pair.target());
        String notes = "CREATE TABLE public.notes (id int PRIMARY KEY, body text);";
        pair.source().execute(notes + "INSERT INTO public.notes VALUES (1, 'source');");
        pair.target().execute(notes + "INSERT INTO public.notes VALUES (1, 'target'), (2, 'target');"
                + "DELETE FROM payment WHERE payment_id % 3 = 0; UPDATE film SET title = lower(title);");

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(),
                b -> b.dropIfExists().filter(Filters.none().excludeTable("public.notes")));

        assertThat(report.succeeded()).isTrue();
        assertThat(pair.target().queryForString("SELECT string_agg(id || ':' || body, ',' ORDER BY id) FROM notes"))
                .as("the excluded table is neither dropped nor copied").isEqualTo("1:target,2:target");
        assertIdentical(DatabaseComparison.of(pair.source(), pair.target()).ignoringTableData("public.notes"));
    }

    private static void assertIdentical(DatabaseComparison comparison) {
        ComparisonResult result = comparison.compare();
        assertThat(result.isIdentical()).as(result.toString()).isTrue();
    }
}
