package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code useCopyBinary()} on real servers: pagila, chinook and the every-kind fixture copied exactly in binary, the
 * tables whose column types cannot be trusted to read back in binary copied in text with the reason in the
 * report, and a pair of two major versions copied all in text.
 */
@ExtendWith(PostgresPairExtension.class)
class BinaryCopyIT {
    /** The debug line of each COPY: {@code <copy out> -> <copy in>}. */
    private static final String BINARY_OUT = "TO STDOUT (FORMAT binary) -> ";

    @Test
    void pagilaMovesInBinaryExactly(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        Copied copied = copyInBinary(pair, b -> b.jobs(4).indexJobs(4));

        assertThat(copied.report().failures()).as("copy failures").isEmpty();
        assertThat(copied.report().totalRows()).isGreaterThan(40_000);
        assertThat(copied.formats()).as("pagila's types are all built in, enums and domains").containsOnlyKeys(
                CopyFormat.BINARY);
        assertThat(copied.log()).contains("COPY \"public\".\"film\" (").contains(BINARY_OUT)
                .contains("FROM STDIN WITH (FORMAT binary, FREEZE)");
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void aSmallCopyMovesInTextByDefaultWithoutTheCatalogCheckAndInBinaryWhenAsked(DatabasePair pair) {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY, at timestamptz, doc jsonb);"
                + "INSERT INTO t SELECT g, now(), jsonb_build_object('g', g) FROM generate_series(1, 2000) g");

        LogCapture.Captured<CopyReport> byDefault = LogCapture.captureResult(
                () -> CopyAssertions.copy(pair, new RecordingListener(), b -> b));
        Copied small = new Copied(byDefault.value(), byDefault.log());
        assertThat(small.formats()).as("under 64 MB of tables: text").containsOnlyKeys(CopyFormat.TEXT);
        assertThat(small.table("public", "t").fallbackReason()).as("text by default is no fallback").isEmpty();
        assertThat(small.log()).contains("COPY in text: the tables to copy total")
                .doesNotContain("COPY format: binary for");
        CopyAssertions.assertIdentical(pair);

        pair.target().execute("DROP TABLE t");
        Copied asked = copyInBinary(pair, b -> b);
        assertThat(asked.formats()).as("asked for: binary whatever the size").containsOnlyKeys(CopyFormat.BINARY);
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void chinookMovesInBinaryExactly(DatabasePair pair) {
        Datasets.assumePresent("chinook");
        Datasets.loadChinook(pair.source());

        Copied copied = copyInBinary(pair, b -> b.jobs(2).indexJobs(2));

        assertThat(copied.report().failures()).as("copy failures").isEmpty();
        assertThat(copied.report().tables()).hasSize(11);
        assertThat(copied.formats()).containsOnlyKeys(CopyFormat.BINARY);
        CopyAssertions.assertIdentical(pair);
    }

    /**
     * Every kind of object and type: the two tables with composite columns (one also with an array of an enum) are
     * copied in text, and say why; every other table, with its {@code "char"}, xml, money, user range, multirange,
     * domains and hstore columns, in binary; the target is the source.
     */
    @Test
    void everyKindMovesInBinaryExceptTheTableWhoseTypesCarryOids(DatabasePair pair, @TempDir Path temp) {
        try {
            EveryKindVariant.loadInto(pair, temp);

            Copied copied = copyInBinary(pair, b -> b.jobs(4).indexJobs(4));

            assertThat(copied.report().failures()).as("copy failures").isEmpty();
            assertThat(copied.report().succeeded()).isTrue();
            TableReport typed = copied.table("public", "typed_values");
            assertThat(typed.copyFormat()).isEqualTo(CopyFormat.TEXT);
            assertThat(typed.fallbackReason()).get().asString()
                    .startsWith("column feelings (public.mood[]): an array of public.mood, which is not built in")
                    .endsWith("(and 2 more columns)");
            assertThat(copied.formats().get(CopyFormat.TEXT)).as("tables in text").containsExactlyInAnyOrder(
                    new QualifiedName("public", "typed_values"), new QualifiedName("Mixed Case.Schema",
                            "Order Items.2024"));
            assertThat(copied.table("Mixed Case.Schema", "Order Items.2024").fallbackReason()).contains("column "
                    + "Price.EUR (\"Mixed Case.Schema\".\"Money Pair\"): composite type Mixed Case.Schema.Money Pair: "
                    + "its binary form carries its attributes' type OIDs, which the target checks against its own");
            assertThat(copied.table("public", "text_edge_cases").copyFormat()).isEqualTo(CopyFormat.BINARY);
            assertThat(copied.log()).contains("public.typed_values: COPY in text, not binary: column feelings");
            assertThat(copied.report().summaryTable())
                    .contains("text, not binary: public.typed_values: column feelings (public.mood[])");
            assertThat(copied.report().toJson()).contains("\"name\":\"typed_values\"")
                    .contains("\"copy_format\":\"text\",\"fallback_reason\":\"column feelings")
                    .contains("\"copy_format\":\"binary\"");
            CopyAssertions.assertIdentical(pair);
        } finally {
            dropFixtureRoles(pair);
        }
    }

    /**
     * One table per reason to stay in text, next to a table split into parts that moves in binary; a replaced
     * streamer sees the chosen formats. {@code regclass} values come across as the same relations, by name.
     */
    @Test
    void eachTypeThatCarriesAnOidKeepsItsTableInTextAndSaysWhy(DatabasePair pair) {
        pair.source().execute("""
                CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
                CREATE TYPE pair AS (a integer, b text);
                CREATE TABLE plain (id integer PRIMARY KEY, note text, feeling mood, tags text[], at timestamptz);
                INSERT INTO plain SELECT g, 'note ' || g, (ARRAY['sad', 'ok', 'happy']::mood[])[1 + g % 3],
                       ARRAY['a' || g, NULL], timestamptz '2024-01-01 00:00+00' + g * interval '1 minute'
                FROM generate_series(1, 30000) g;
                CREATE TABLE with_regclass (id integer PRIMARY KEY, rel regclass);
                INSERT INTO with_regclass VALUES (1, 'plain'), (2, 'with_regclass'), (3, 'pg_class');
                CREATE TABLE with_composite (id integer PRIMARY KEY, p pair);
                INSERT INTO with_composite VALUES (1, ROW(1, 'one')), (2, NULL);
                CREATE TABLE with_enum_array (id integer PRIMARY KEY, moods mood[]);
                INSERT INTO with_enum_array VALUES (1, '{sad,happy}'), (2, '{}');
                """);
        Map<String, CopyFormat> seen = new ConcurrentHashMap<>();
        CopyStreamer standard = CopyStreamer.standard();

        Copied copied = copyInBinary(pair, b -> b.jobs(2).indexJobs(2).splitTablesLargerThan(256 * 1024)
                .copyStreamer((part, context, progress) -> {
                    seen.put(part.table().name().name(), context.copyFormat(part.table()));
                    return standard.copy(part, context, progress);
                }));

        assertThat(copied.report().failures()).as("copy failures").isEmpty();
        assertThat(copied.table("public", "plain").parts()).as("split into parts").isGreaterThan(1);
        assertThat(copied.table("public", "plain").copyFormat()).isEqualTo(CopyFormat.BINARY);
        assertThat(copied.log()).contains("COPY (SELECT \"id\", \"note\", \"feeling\", \"tags\", \"at\" FROM ONLY "
                + "\"public\".\"plain\" WHERE").contains(") TO STDOUT (FORMAT binary) -> COPY \"public\".\"plain\" ("
                + "\"id\", \"note\", \"feeling\", \"tags\", \"at\") FROM STDIN WITH (FORMAT binary)");
        assertThat(copied.table("public", "with_regclass").fallbackReason())
                .contains("column rel (regclass): regclass is sent as a raw OID, which names another object (or "
                        + "none) on the target");
        assertThat(copied.table("public", "with_composite").fallbackReason()).get().asString()
                .startsWith("column p (public.pair): composite type public.pair: its binary form carries");
        assertThat(copied.table("public", "with_enum_array").fallbackReason()).get().asString()
                .startsWith("column moods (public.mood[]): an array of public.mood, which is not built in");
        assertThat(copied.log()).contains("COPY \"public\".\"with_regclass\" (\"id\", \"rel\") TO STDOUT -> ")
                .doesNotContain("\"with_regclass\" (\"id\", \"rel\") TO STDOUT (FORMAT binary)");
        assertThat(seen).containsEntry("plain", CopyFormat.BINARY).containsEntry("with_regclass", CopyFormat.TEXT)
                .containsEntry("with_composite", CopyFormat.TEXT).containsEntry("with_enum_array", CopyFormat.TEXT);
        assertThat(pair.target().queryForString("SELECT string_agg(rel::text, ',' ORDER BY id) FROM with_regclass"))
                .as("the same relations, by name").isEqualTo("plain,with_regclass,pg_class");
        CopyAssertions.assertIdentical(pair);
    }

    /** A source and a target of two major versions: every table in text, with that reason. */
    @Nested
    @PostgresPair(source = 14, target = 15)
    class AcrossMajorVersions {
        @Test
        void everyTableMovesInTextAndSaysWhy(DatabasePair pair) {
            pair.source().execute("""
                    CREATE TABLE a (id integer PRIMARY KEY, note text);
                    INSERT INTO a SELECT g, 'a' || g FROM generate_series(1, 1000) g;
                    CREATE TABLE b (id bigint PRIMARY KEY, at timestamptz, amount numeric(12, 2));
                    INSERT INTO b SELECT g, timestamptz '2024-01-01 00:00+00' + g * interval '1 hour', g / 7.0
                    FROM generate_series(1, 1000) g;
                    """);

            Copied copied = copyInBinary(pair, b -> b.jobs(2).indexJobs(2));

            assertThat(copied.report().failures()).as("copy failures").isEmpty();
            assertThat(copied.report().tables()).hasSize(2).allSatisfy(t -> {
                assertThat(t.copyFormat()).isEqualTo(CopyFormat.TEXT);
                assertThat(t.fallbackReason()).contains("the source is PostgreSQL 14 and the target 15: binary "
                        + "forms are trusted only between servers of one major version");
            });
            assertThat(copied.log()).doesNotContain("FORMAT binary")
                    .contains("COPY in text, not binary, for 2 table(s): the source is PostgreSQL 14");
            CopyAssertions.assertIdentical(pair);
        }
    }

    /** A binary copy's report, its log, and its tables by format. */
    private record Copied(CopyReport report, String log) {
        TableReport table(String schema, String name) {
            QualifiedName wanted = new QualifiedName(schema, name);
            return report.tables().stream().filter(t -> t.name().equals(wanted)).findFirst().orElseThrow();
        }

        Map<CopyFormat, List<QualifiedName>> formats() {
            return report.tables().stream().filter(t -> t.parts() > 0).collect(Collectors.groupingBy(
                    TableReport::copyFormat, Collectors.mapping(TableReport::name, Collectors.toList())));
        }
    }

    private static Copied copyInBinary(DatabasePair pair, Function<CopyBuilder, CopyBuilder> tweak) {
        LogCapture.Captured<CopyReport> run = LogCapture.captureResult(() -> CopyAssertions.copy(pair,
                new RecordingListener(), b -> tweak.apply(b.useCopyBinary())));
        return new Copied(run.value(), run.log());
    }

    /** The fixture's roles are cluster-wide: they go once the test is done, with what they own. */
    private static void dropFixtureRoles(DatabasePair pair) {
        for (TestDatabase db : List.of(pair.source(), pair.target())) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("SET default_transaction_read_only = off");
                for (String role : List.of("fixture_owner", "fixture_reader")) {
                    s.execute("DROP OWNED BY " + role + " CASCADE");
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cleaning up " + db.name() + ": " + e.getMessage(), e);
            }
        }
        for (PostgresServer server : List.of(pair.source().server(), pair.target().server())) {
            server.execute(server.maintenanceDatabase(), "DROP ROLE IF EXISTS fixture_owner, fixture_reader");
        }
    }
}
