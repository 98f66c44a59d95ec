package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.filter.ListedObject;
import io.pgcopydb.filter.SourceListing;
import io.pgcopydb.model.Side;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import io.pgcopydb.testkit.server.TestDatabase;
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
    void aFilterNamingOnlySomeSchemasLeavesLargeObjectsOutAsPgDumpDoes(DatabasePair pair) {
        pair.source().execute("""
                CREATE SCHEMA app; CREATE TABLE app.t (id int PRIMARY KEY); INSERT INTO app.t VALUES (1), (2);
                CREATE SCHEMA other; CREATE TABLE other.u (id int PRIMARY KEY); INSERT INTO other.u VALUES (1);
                SELECT lo_from_bytea(8801, 'a large object');
                COMMENT ON LARGE OBJECT 8801 IS 'blob'; GRANT SELECT ON LARGE OBJECT 8801 TO PUBLIC;
                """);
        Filters only = Filters.none().includeOnlySchema("app");
        RecordingListener listener = new RecordingListener();

        CopyReport report = CopyAssertions.copy(pair, listener, b -> b.filter(only).verify());

        assertThat(report.largeObjects()).isZero();
        assertThat(report.verification().orElseThrow().isIdentical()).isTrue();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM pg_largeobject_metadata"))
                .as("neither data nor metadata, as pg_dump --schema").isZero();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM app.t")).isEqualTo(2);
        CopyAssertions.assertIdentical(CopyAssertions.compare(pair.source(), pair.target(), only));
        assertThat(CopyAssertions.compare(pair).differences()).as("unfiltered, the large object is missing")
                .anyMatch(d -> d.object().equals("large object 8801"));

        // Excluding keeps them.
        pair.target().execute("DROP SCHEMA app CASCADE");
        CopyAssertions.copy(pair, new RecordingListener(), b -> b.filter(Filters.none().excludeSchema("other")));
        assertThat(pair.target().queryForString("SELECT convert_from(lo_get(8801), 'UTF8')"))
                .isEqualTo("a large object");
    }

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
                CREATE FUNCTION public.note_length(public.film_note) RETURNS int LANGUAGE sql
                    AS 'SELECT length($1.body)';
                COMMENT ON FUNCTION public.note_length(public.film_note) IS 'its comment goes with it';
                REVOKE EXECUTE ON FUNCTION public.note_length(public.film_note) FROM PUBLIC;
                """);

        Filters filters = Filters.none().excludeTable("public.film_note", "public.payment_p2022_07");
        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.filter(filters));

        assertThat(report.succeeded()).isTrue();
        TestDatabase target = pair.target();
        assertThat(target.queryForString("SELECT to_regclass('public.film_note')")).isNull();
        assertThat(target.queryForString("SELECT to_regclass('public.film_note_id_seq')")).as("its owned sequence")
                .isNull();
        assertThat(target.queryForString("SELECT to_regclass('public.payment_p2022_07')")).isNull();
        assertThat(target.queryForLong("SELECT count(*) FROM pg_proc WHERE proname = 'note_length'"))
                .as("a function of the excluded table's row type, with its comment and grants").isZero();
        assertThat(target.queryForLong("SELECT count(*) FROM payment")).isEqualTo(
                pair.source().queryForLong("SELECT count(*) FROM payment")
                        - pair.source().queryForLong("SELECT count(*) FROM payment_p2022_07"));
        assertIdentical(FilterExpectations.compareRestricted(pair, filters, false));
    }

    @Test
    void excludeTableDataWithForeignKeysNotValidKeepsTheEmptyTableAndItsIndexes(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        pair.source().execute("COMMENT ON CONSTRAINT payment_p2022_01_rental_id_fkey ON public.payment_p2022_01"
                + " IS 'kept on the NOT VALID key'");
        Filters filters = Filters.none().excludeTableData("public.rental");
        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(),
                b -> b.filter(filters).foreignKeysNotValid());

        assertThat(report.succeeded()).isTrue();
        TestDatabase target = pair.target();
        assertThat(target.queryForLong("SELECT count(*) FROM public.rental")).isZero();
        // Its indexes and primary key are built by the index jobs, as any copied table's, not left to post-data.
        assertThat(report.tables()).filteredOn(t -> t.name().toString().equals("public.rental")).singleElement()
                .satisfies(t -> {
                    assertThat(t.rows()).isZero();
                    assertThat(t.parts()).isZero();
                    assertThat(t.outcome()).isEqualTo(Outcome.DONE);
                    assertThat(t.indexes()).isEqualTo(3);
                    assertThat(t.vacuumDuration()).as("nothing to vacuum").isZero();
                });
        assertThat(report.indexes()).filteredOn(i -> i.table().toString().equals("public.rental"))
                .extracting(i -> i.name().name() + ":" + i.outcome()).containsExactlyInAnyOrder(
                        "rental_pkey:DONE", "idx_fk_inventory_id:DONE",
                        "idx_unq_rental_rental_date_inventory_id_customer_id:DONE");
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
        assertIdentical(FilterExpectations.compareRestricted(pair, filters, true));
    }

    @Test
    void excludeTableDataOfAReferencedTableIsRefusedBeforeAnyWrite(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> CopyAssertions.copy(pair,
                new RecordingListener(), b -> b.filter(Filters.none().excludeTableData("public.rental"))));

        assertThat(e.code()).isEqualTo(ErrorCode.FILTER_REFUSED);
        assertThat(e.phase()).contains(Phase.CATALOG);
        assertThat(e.problems()).allSatisfy(p -> {
            assertThat(p.code()).isEqualTo(ErrorCode.FILTER_REFUSED);
            assertThat(p.side()).contains(Side.SOURCE);
        });
        Problem refusal = ProblemAssertions.problem(e, ErrorCode.FILTER_REFUSED, Side.SOURCE,
                "constraint payment_p2022_01_rental_id_fkey on public.payment_p2022_01");
        assertThat(refusal.message()).contains("public.rental").contains("excludeTableData");
        assertThat(refusal.remedy()).contains("excludeTableData").contains("foreignKeysNotValid()");
        assertThat(e.getMessage()).startsWith("the filter cannot be applied: ")
                .contains("payment_p2022_01_rental_id_fkey").contains("public.rental")
                .contains("excludeTableData").contains("foreignKeysNotValid()").doesNotContain("\n");
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

        Filters filters = Filters.none().excludeSchema("audit");
        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.filter(filters));

        assertThat(report.succeeded()).isTrue();
        assertThat(pair.target().queryForString("SELECT to_regnamespace('audit')::text")).isNull();
        assertIdentical(FilterExpectations.compareRestricted(pair, filters, false));
        assertIdentical(CopyAssertions.compare(pair.source(), pair.target(), filters));
    }

    @Test
    void includeOnlyTableWithARegexCopiesOnlyTheMatchingTables(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        Filters filters = Filters.none().includeOnlyTable("public.~/^film/");
        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.filter(filters));

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
        assertIdentical(FilterExpectations.compareRestricted(pair, filters, false));
    }

    @Test
    void excludeIndexLeavesOnlyThatIndexOut(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        Filters filters = Filters.none().excludeIndex("public.idx_title", "public.idx_fk_payment_p2022_01_staff_id");
        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.filter(filters));

        assertThat(report.succeeded()).isTrue();
        assertThat(pair.target().queryForString("SELECT to_regclass('public.idx_title')")).isNull();
        assertThat(pair.target().queryForString("SELECT to_regclass('public.idx_fk_payment_p2022_01_staff_id')"))
                .isNull();
        assertIdentical(FilterExpectations.compareRestricted(pair, filters, false));
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

        Filters filters = Filters.none().excludeTableData("public.films_by_rating");
        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.filter(filters));

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
        assertIdentical(FilterExpectations.compareRestricted(pair, filters, false));
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
        assertIdentical(CopyAssertions.compare(pair.source(), pair.target(),
                Filters.none().excludeTableData("public.notes")));
    }

    @Test
    void includeOnlySchemaWithARegexCopiesThoseSchemasOnly(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        for (String tenant : new String[] {"tenant_a", "tenant_b", "archive"}) {
            pair.source().execute("""
                    CREATE SCHEMA %1$s;
                    CREATE TABLE %1$s.account (id bigserial PRIMARY KEY, name text UNIQUE NOT NULL,
                                               customer_id int REFERENCES public.customer);
                    CREATE TABLE %1$s.invoice (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                                               account_id bigint NOT NULL REFERENCES %1$s.account,
                                               total numeric(10, 2));
                    CREATE INDEX ON %1$s.invoice (account_id);
                    CREATE SEQUENCE %1$s.ticket_seq START 100;
                    SELECT nextval('%1$s.ticket_seq');
                    CREATE VIEW %1$s.big_invoices AS SELECT * FROM %1$s.invoice WHERE total > 100;
                    CREATE FUNCTION %1$s.total() RETURNS numeric LANGUAGE sql AS 'SELECT sum(total) FROM %1$s.invoice';
                    INSERT INTO %1$s.account (name, customer_id) SELECT 'acct ' || g, g FROM generate_series(1, 50) g;
                    INSERT INTO %1$s.invoice (account_id, total) SELECT 1 + g %% 50, g FROM generate_series(1, 500) g;
                    """.formatted(tenant));
        }
        Filters filters = Filters.none().includeOnlySchema("~/^tenant_/");

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.filter(filters));

        assertThat(report.succeeded()).isTrue();
        assertThat(report.tables()).extracting(t -> t.name().toString()).containsExactlyInAnyOrder(
                "tenant_a.account", "tenant_a.invoice", "tenant_b.account", "tenant_b.invoice");
        TestDatabase target = pair.target();
        assertThat(target.queryForString("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace"
                + " WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'"))
                .isEqualTo("public,tenant_a,tenant_b");
        assertThat(target.queryForLong("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"))
                .as("nothing of pagila").isZero();
        assertThat(target.queryForString("SELECT last_value::text FROM tenant_b.ticket_seq")).isEqualTo("100");
        assertThat(report.warnings()).as("the foreign keys to the skipped public.customer, in the report")
                .anyMatch(w -> w.startsWith("filter: ") && w.contains("account_customer_id_fkey"));
        assertThat(target.queryForLong("SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
                + " AND confrelid = 'tenant_a.account'::regclass")).isEqualTo(1);
        assertIdentical(FilterExpectations.compareRestricted(pair, filters, false));
    }

    @Test
    void theListingAgreesWithWhatTheCopyCreates(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        Filters filters = Filters.none().excludeTable("public.~/^payment_p2022_0[1-3]$/").excludeIndex("public.idx_title")
                .excludeTableData("public.film_actor");

        SourceListing listing = DatabaseCopy.from(CopyAssertions.spec(pair.source())).list(filters);
        CopyAssertions.copy(pair, new RecordingListener(), b -> b.filter(filters));

        assertThat(listing.errors()).isEmpty();
        assertThat(listing.skippedTables()).extracting(t -> t.name().toString()).containsExactlyInAnyOrder(
                "public.payment_p2022_01", "public.payment_p2022_02", "public.payment_p2022_03");
        assertThat(listing.tables()).filteredOn(t -> t.decision() == ListedObject.Decision.SCHEMA_ONLY)
                .extracting(t -> t.name().toString()).containsExactly("public.film_actor");
        String created = "SELECT string_agg(n.nspname || '.' || c.relname, ',' ORDER BY 1) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = '%s'";
        assertThat(pair.target().queryForString(created.formatted("r")).split(","))
                .containsExactlyInAnyOrderElementsOf(names(listing.tables(), ListedObject.Kind.TABLE));
        assertThat(pair.target().queryForString(created.formatted("i")).split(","))
                .containsExactlyInAnyOrderElementsOf(names(listing.indexes(), ListedObject.Kind.INDEX));
        assertThat(pair.target().queryForString(created.formatted("S")).split(","))
                .containsExactlyInAnyOrderElementsOf(names(listing.sequences(), ListedObject.Kind.SEQUENCE));
        assertThat(listing.indexes()).filteredOn(i -> i.name().name().equals("idx_title")).singleElement()
                .satisfies(i -> assertThat(i.decision()).isEqualTo(ListedObject.Decision.SKIP));
        assertThat(listing.tables()).filteredOn(t -> t.name().name().equals("payment")).singleElement()
                .satisfies(t -> assertThat(t.kind()).isEqualTo(ListedObject.Kind.PARTITIONED_TABLE));
        assertThat(listing.tables()).filteredOn(t -> t.name().name().equals("film")).singleElement()
                .satisfies(t -> assertThat(t.bytes()).isPositive());
    }

    @Test
    void theListingReportsTheErrorsACopyWouldStopOn(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        SourceListing listing = DatabaseCopy.from(CopyAssertions.spec(pair.source()))
                .list(Filters.none().includeOnlyTable("public.no_such_table", "public.film"));

        assertThat(listing.errors()).singleElement().asString().contains("public.no_such_table");
        assertThat(listing.selectedTables()).extracting(t -> t.name().toString()).containsExactly("public.film");
    }

    private static java.util.List<String> names(java.util.List<ListedObject> objects, ListedObject.Kind kind) {
        return objects.stream().filter(o -> o.kind() == kind && o.decision().selected()
                && o.name().schema().equals("public")).map(o -> o.name().toString()).toList();
    }

    private static void assertIdentical(CompareReport result) {
        CopyAssertions.assertIdentical(result);
    }
}
