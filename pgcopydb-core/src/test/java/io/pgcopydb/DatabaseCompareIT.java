package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.Difference.Area;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TestDatabase;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code DatabaseCompare.all()} on a pair built by running the same SQL on both sides (no copying tool involved),
 * then one change on the target: what the testkit's own comparison proved before the library had one — the public
 * schema's owner and ACL, an added column, a materialized view's rows, data left out by a filter while its schema
 * is still compared, a schema left out everywhere.
 */
@ExtendWith(PostgresPairExtension.class)
class DatabaseCompareIT {
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

    @Test
    void sameSqlOnBothSidesIsIdentical(DatabasePair pair) {
        loadSample(pair);

        CompareReport result = CopyAssertions.compare(pair);

        assertThat(result.differences()).as(result.toText()).isEmpty();
        assertThat(result.tables()).extracting(t -> t.table().toString()).as("tables and populated matviews")
                .containsExactly("Mixed Case.tab le", "Mixed Case.we\"ird.näme", "public.events_2024",
                        "public.named_rows");
        assertThat(result.rowsCompared()).isEqualTo(3 + 3 + 2 + 2);
        assertThat(result.objectsCompared()).isGreaterThan(10);
    }

    @Test
    void publicSchemaOwnerIsCompared(DatabasePair pair) {
        loadSample(pair);
        String role = "cmp_owner_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        TestDatabase target = pair.target();
        target.execute("CREATE ROLE " + role);
        try {
            target.execute("ALTER SCHEMA public OWNER TO " + role);

            assertThat(CopyAssertions.compare(pair).differences())
                    .extracting(Difference::object, Difference::aspect, Difference::target)
                    .containsExactly(tuple("schema public", "owner", Optional.of(role)));
        } finally {
            target.execute("ALTER SCHEMA public OWNER TO pg_database_owner; DROP ROLE " + role);
        }
    }

    @Test
    void publicSchemaAclIsCompared(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("REVOKE USAGE ON SCHEMA public FROM PUBLIC");

        assertThat(CopyAssertions.compare(pair).differences()).extracting(Difference::object, Difference::aspect)
                .containsExactly(tuple("schema public", "acl"));
    }

    @Test
    void addedColumnIsASchemaDifference(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("ALTER TABLE \"Mixed Case\".\"tab le\" ADD COLUMN extra integer");

        // Every row's text has one more (null) field: the rows differ too, named the same way.
        assertThat(CopyAssertions.compare(pair).differences())
                .extracting(Difference::area, Difference::object, Difference::aspect,
                        d -> d.source().map(v -> v.replaceAll("checksum \\p{XDigit}{16}", "checksum …")))
                .containsExactly(tuple(Area.SCHEMA, "column \"Mixed Case\".\"tab le\".extra", "exists",
                        Optional.empty()), tuple(Area.DATA, "rows of \"Mixed Case\".\"tab le\"",
                        "rows in id >= 1 AND id < 4", Optional.of("3 rows, checksum …")));
    }

    @Test
    void populatedMatviewRowsAreCompared(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("UPDATE \"Mixed Case\".\"tab le\" SET \"Na\"\"me\" = NULL WHERE id = 1;"
                + " REFRESH MATERIALIZED VIEW public.named_rows");

        CompareReport result = CopyAssertions.compare(pair);

        assertThat(result.differences()).extracting(Difference::object)
                .containsExactly("rows of \"Mixed Case\".\"tab le\"", "rows of public.named_rows");
        assertThat(result.differingTables()).extracting(t -> t.table().toString())
                .containsExactly("Mixed Case.tab le", "public.named_rows");
    }

    @Test
    void dataLeftOutByAFilterStillHasItsSchemaCompared(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("UPDATE public.events SET note = 'changed';"
                + " UPDATE \"Mixed Case\".\"tab le\" SET amount = 0; REFRESH MATERIALIZED VIEW public.named_rows");
        Filters noData = Filters.none().excludeTableData("public.events_2024")
                .excludeTableData("Mixed Case.tab le");

        assertThat(CopyAssertions.compare(pair).differences()).extracting(Difference::object)
                .containsExactly("rows of \"Mixed Case\".\"tab le\"", "rows of public.events_2024");
        CopyAssertions.assertIdentical(CopyAssertions.compare(pair.source(), pair.target(), noData));

        pair.target().execute("ALTER TABLE public.events ADD COLUMN extra integer");
        assertThat(CopyAssertions.compare(pair.source(), pair.target(), noData).differences())
                .extracting(Difference::object).contains("column public.events.extra")
                .allMatch(o -> o.startsWith("column public.events"));
    }

    @Test
    void aSchemaLeftOutByAFilterIsLeftOutEverywhere(DatabasePair pair) {
        loadSample(pair);
        pair.target().execute("CREATE SCHEMA audit; CREATE TABLE audit.log (line text); INSERT INTO audit.log"
                + " VALUES ('x'); CREATE SEQUENCE audit.s");

        assertThat(CopyAssertions.compare(pair).differences()).filteredOn(Difference::extraOnTarget)
                .extracting(Difference::object)
                .contains("schema audit", "table audit.log", "sequence audit.s");
        CompareReport filtered = DatabaseCompare.of(CopyAssertions.spec(pair.source()),
                CopyAssertions.spec(pair.target())).filter(Filters.none().excludeSchema("audit")).all();
        CopyAssertions.assertIdentical(filtered);
    }

    private static void loadSample(DatabasePair pair) {
        pair.source().execute(SAMPLE);
        pair.target().execute(SAMPLE);
    }
}
