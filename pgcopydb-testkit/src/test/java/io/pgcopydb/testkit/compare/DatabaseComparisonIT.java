package io.pgcopydb.testkit.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import io.pgcopydb.testkit.server.TestDatabase;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresPairExtension.class)
class DatabaseComparisonIT {

    /** Run on both sides: the target is then a perfect copy without any copying tool involved. */
    private static final String SAMPLE = """
            CREATE SCHEMA "Mixed Case";
            CREATE TABLE "Mixed Case"."tab le" (
                id integer PRIMARY KEY, "Na""me" text, amount numeric, at timestamptz, t integer);
            INSERT INTO "Mixed Case"."tab le" VALUES
                (1, 'one', 1.5, '2024-01-02 03:04:05+00', 7),
                (2, NULL, NULL, NULL, NULL),
                (3, 'drei ü', -0.25, '1999-12-31 23:59:59+00', NULL);
            CREATE TABLE "Mixed Case"."we""ird.näme" (x integer);
            INSERT INTO "Mixed Case"."we""ird.näme" VALUES (1), (1), (NULL);
            CREATE TABLE public.events (
                id bigint GENERATED ALWAYS AS IDENTITY, at date NOT NULL, note text) PARTITION BY RANGE (at);
            CREATE TABLE public.events_2024 PARTITION OF public.events
                FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            INSERT INTO public.events (at, note) VALUES ('2024-03-01', 'a'), ('2024-04-01', NULL);
            CREATE SEQUENCE public.counter;
            SELECT setval('public.counter', 42);
            CREATE MATERIALIZED VIEW public.named_rows AS
                SELECT id, "Na""me" FROM "Mixed Case"."tab le" WHERE "Na""me" IS NOT NULL;
            CREATE MATERIALIZED VIEW public.later AS
                SELECT count(*) AS n FROM "Mixed Case"."tab le" WITH NO DATA;
            SELECT lo_from_bytea(4242, 'abc');
            """;

    private static final String TABLE = "table \"Mixed Case\".\"tab le\"";

    @Test
    void sameSqlOnBothSidesIsIdentical(DatabasePair pair) {
        loadSample(pair);

        ComparisonResult result = compare(pair);

        assertThat(result.differences()).isEmpty();
        assertThat(result.isIdentical()).isTrue();
        assertThat(result.tables()).isEqualTo(3);
        assertThat(result.materializedViews()).isEqualTo(2);
        assertThat(result.sequences()).isEqualTo(2);
        assertThat(result.schemas()).isEqualTo(2);
        assertThat(result.largeObjects()).isEqualTo(1);
        assertThat(result.toString()).startsWith("identical (3 tables, 2 materialized views, 2 sequences, "
                + "2 schemas, 1 large objects, ");
        result.assertIdentical();
    }

    @Test
    void changedValueWithSameCountIsARowHashDifference(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("UPDATE \"Mixed Case\".\"tab le\" SET amount = 2.5 WHERE id = 1");

        assertThat(compare(pair).differences()).containsExactly(TABLE + ": row hash differs (same count 3)");
    }

    @Test
    void duplicateRowsDoNotCancelOut(DatabasePair pair) {
        loadSample(pair);
        // (1), (1) and (2), (2) both cancel to nothing under xor; a sum keeps them apart.
        pair.target().execute("DELETE FROM \"Mixed Case\".\"we\"\"ird.näme\" WHERE x = 1;"
                + " INSERT INTO \"Mixed Case\".\"we\"\"ird.näme\" VALUES (2), (2)");

        assertThat(compare(pair).differences())
                .containsExactly("table \"Mixed Case\".\"we\"\"ird.näme\": row hash differs (same count 3)");
    }

    @Test
    void deletedRowIsACountDifference(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("DELETE FROM \"Mixed Case\".\"tab le\" WHERE id = 2");

        assertThat(compare(pair).differences()).containsExactly(TABLE + ": rows 3 vs 2");
    }

    @Test
    void droppedTableIsMissingOnTarget(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("DROP TABLE public.events_2024");

        List<String> differences = compare(pair).differences();
        assertThat(differences).contains("table public.events_2024: missing on target");
        assertThat(differences).anyMatch(d -> d.startsWith("schema: - CREATE TABLE public.events_2024"));
    }

    @Test
    void aChangedSourceIsComparedThroughAScratchCopyLeavingTheSourceAlone(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("DROP TABLE public.events; DELETE FROM \"Mixed Case\".\"tab le\" WHERE id = 2");

        ComparisonResult stated = DatabaseComparison.of(pair.source(), pair.target()).withSourceChanged(List.of(
                "DROP TABLE public.events CASCADE", "DELETE FROM \"Mixed Case\".\"tab le\" WHERE id = 2")).compare();
        ComparisonResult understated = DatabaseComparison.of(pair.source(), pair.target())
                .withSourceChanged(List.of("DROP TABLE public.events CASCADE")).compare();

        assertThat(stated.differences()).isEmpty();
        assertThat(understated.differences()).containsExactly(TABLE + ": rows 3 vs 2");
        assertThat(pair.source().queryForString("SELECT to_regclass('public.events')::text")).isEqualTo("events");
        assertThat(pair.source().queryForLong("SELECT count(*) FROM pg_database WHERE datname LIKE 'cmp\\_%'"))
                .as("the scratch copies are dropped").isZero();
    }

    @Test
    void sequenceValueAndIsCalledAreCompared(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("SELECT setval('public.counter', 43)");
        assertThat(compare(pair).differences()).containsExactly("sequence public.counter: last_value 42 vs 43");

        pair.target().execute("SELECT setval('public.counter', 42, false)");
        assertThat(compare(pair).differences()).containsExactly("sequence public.counter: is_called true vs false");
    }

    @Test
    void publicSchemaOwnerIsCompared(DatabasePair pair) {
        loadSample(pair);
        String role = "cmp_owner_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        TestDatabase target = pair.target();
        target.execute("CREATE ROLE " + role);
        try {
            target.execute("ALTER SCHEMA public OWNER TO " + role);

            List<String> differences = compare(pair).differences();

            assertThat(differences).contains("schema public: owner pg_database_owner vs " + role);
            assertThat(differences).anyMatch(d -> d.startsWith("schema: + ALTER SCHEMA public OWNER TO " + role));
        } finally {
            target.execute("ALTER SCHEMA public OWNER TO pg_database_owner; DROP ROLE " + role);
        }
    }

    @Test
    void publicSchemaAclIsCompared(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("REVOKE USAGE ON SCHEMA public FROM PUBLIC");

        assertThat(compare(pair).differences()).anyMatch(d -> d.startsWith("schema public: acl "));
    }

    @Test
    void refreshingAnUnpopulatedMatviewIsADifference(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("REFRESH MATERIALIZED VIEW public.later");

        assertThat(compare(pair).differences())
                .containsExactly("materialized view public.later: populated false vs true");
    }

    @Test
    void populatedMatviewRowsAreCompared(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("UPDATE \"Mixed Case\".\"tab le\" SET \"Na\"\"me\" = NULL WHERE id = 1;"
                + " REFRESH MATERIALIZED VIEW public.named_rows");

        assertThat(compare(pair).differences()).contains("materialized view public.named_rows: rows 2 vs 1");
    }

    @Test
    void largeObjectDataIsCompared(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("SELECT lo_put(4242, 0, 'x')");

        assertThat(compare(pair).differences()).containsExactly("large object 4242: data md5 "
                + "900150983cd24fb0d6963f7d28e17f72 vs " + pair.target().queryForString("SELECT md5('xbc')"));
    }

    @Test
    void missingLargeObjectIsCounted(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("SELECT lo_unlink(4242)");

        assertThat(compare(pair).differences())
                .containsExactly("large objects: count 1 vs 0", "large object 4242: missing on target");
    }

    @Test
    void addedColumnIsASchemaDifference(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("ALTER TABLE \"Mixed Case\".\"tab le\" ADD COLUMN extra integer");

        List<String> differences = compare(pair).differences();

        assertThat(differences.get(0)).startsWith("schema: pg_dump --schema-only differs: ");
        assertThat(differences).anyMatch(d -> d.matches("schema: \\+ +extra integer +\\[TABLE Mixed Case\\.tab le]"));
    }

    @Test
    void ignoredTableDataStillHasItsSchemaCompared(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("UPDATE public.events SET note = 'changed';"
                + " UPDATE \"Mixed Case\".\"tab le\" SET amount = 0");

        assertThat(compare(pair).differences()).hasSize(2);
        DatabaseComparison.of(pair.source(), pair.target())
                .ignoringTableData("public.events_2024", "\"Mixed Case\".\"tab le\"").compare().assertIdentical();

        pair.target().execute("ALTER TABLE public.events ADD COLUMN extra integer");
        assertThat(DatabaseComparison.of(pair.source(), pair.target())
                .ignoringTableData("public.events_2024", "\"Mixed Case\".\"tab le\"").compare().differences())
                .anyMatch(d -> d.startsWith("schema: "));
    }

    @Test
    void ignoredSchemasAreLeftOutEverywhere(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("CREATE SCHEMA audit; CREATE TABLE audit.log (line text); INSERT INTO audit.log"
                + " VALUES ('x'); CREATE SEQUENCE audit.s");

        assertThat(compare(pair).differences()).contains("schema audit: missing on source",
                "table audit.log: missing on source", "sequence audit.s: missing on source");
        DatabaseComparison.of(pair.source(), pair.target()).ignoringSchemas("audit").compare().assertIdentical();
    }

    @Test
    void pagilaLoadedTwiceIsIdentical(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        Datasets.loadPagila(pair.target());

        ComparisonResult result = compare(pair);

        result.assertIdentical();
        assertThat(result.tables()).isGreaterThan(15);
        assertThat(result.sequences()).isGreaterThan(10);
        assertThat(result.schemaDumpLines()).isGreaterThan(500);
    }

    @Test
    void differencesArePrintedOnePerLineAndCapped() {
        List<String> many = IntStream.range(0, 120).mapToObj(i -> "table public.t" + i + ": rows 1 vs 0").toList();
        ComparisonResult result = new ComparisonResult(many, 120, 0, 0, 1, 0, 10);

        String[] lines = result.toString().split("\n");
        assertThat(lines).hasSize(ComparisonResult.MAX_PRINTED_DIFFERENCES + 2);
        assertThat(lines[0]).isEqualTo("120 differences:");
        assertThat(lines[1]).isEqualTo("table public.t0: rows 1 vs 0");
        assertThat(lines[lines.length - 1]).isEqualTo("... and 70 more");
        assertThatThrownBy(result::assertIdentical).isInstanceOf(AssertionError.class).hasMessage(result.toString());
    }

    @Test
    void qualifiedNamesAreReadTheWaySqlReadsThem() {
        assertThat(DatabaseComparison.parseQualifiedName("public.Events")).containsExactly("public", "events");
        assertThat(DatabaseComparison.parseQualifiedName("\"Mixed Case\".\"we\"\"ird.näme\""))
                .containsExactly("Mixed Case", "we\"ird.näme");
        assertThat(DatabaseComparison.parseQualifiedName("film")).containsExactly("film");
        assertThatThrownBy(() -> DatabaseComparison.parseQualifiedName("a.b.c"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DatabaseComparison.parseQualifiedName("\"open"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void schemaDumpNormalisationDropsNoiseAndDatabaseNames() {
        List<String> dump = List.of("--", "-- Name: film; Type: TABLE; Schema: public; Owner: postgres", "",
                "\\restrict abc123", "CREATE TABLE public.film (", "    id integer", ");",
                "COMMENT ON DATABASE \"my db_src\" IS 'x';", "\\connect \"my db_src\"", "\\unrestrict abc123");
        List<String> other = List.of("\\restrict zzz", "CREATE TABLE public.film (", "    id integer", ");",
                "COMMENT ON DATABASE \"my db_tgt\" IS 'x';", "\\connect \"my db_tgt\"");

        SchemaDump source = SchemaDump.parse(dump, "my db_src");
        SchemaDump target = SchemaDump.parse(other, "my db_tgt");

        assertThat(source.lines()).extracting(SchemaDump.Line::text).containsExactly("CREATE TABLE public.film (",
                "    id integer", ");", "COMMENT ON DATABASE <database> IS 'x';", "\\connect <database>");
        assertThat(source.lines().get(0).object()).isEqualTo("TABLE public.film");
        assertThat(SchemaDump.differences(source, target)).isEmpty();
    }

    private static void loadSample(DatabasePair pair) {
        pair.source().execute(SAMPLE);
        pair.target().execute(SAMPLE);
    }

    private static ComparisonResult compare(DatabasePair pair) {
        return DatabaseComparison.of(pair.source(), pair.target()).compare();
    }
}
