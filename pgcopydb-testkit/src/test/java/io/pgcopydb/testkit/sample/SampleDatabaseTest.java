package io.pgcopydb.testkit.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Negative;

/** Pure properties of the generator: no database involved. */
class SampleDatabaseTest {
    private static final String CUSTOMERS = "shop.customers";
    private static final String PRODUCTS = "shop.products";
    private static final String ORDERS = "shop.orders";
    private static final String ORDER_LINES = "shop.order_lines";

    /** Small enough that generating every table takes milliseconds. */
    @Provide
    Arbitrary<Double> smallScales() {
        return Arbitraries.doubles().between(0.0005, 0.003).ofScale(6);
    }

    /** Small enough that rounding alone would leave tables empty. */
    @Provide
    Arbitrary<Double> tinyScales() {
        return Arbitraries.doubles().between(1e-9, 1e-4).ofScale(12);
    }

    @Property(tries = 20)
    void sameScaleAndSeedGiveTheSameDigest(@ForAll("smallScales") double scale, @ForAll long seed) {
        assertThat(SampleDatabase.of(scale, seed).digest()).isEqualTo(SampleDatabase.of(scale, seed).digest());
    }

    @Property(tries = 20)
    void differentSeedsGiveDifferentDigests(@ForAll("smallScales") double scale,
                                            @ForAll long seed, @ForAll long otherSeed) {
        Assume.that(seed != otherSeed);
        assertThat(SampleDatabase.of(scale, seed).digest()).isNotEqualTo(SampleDatabase.of(scale, otherSeed).digest());
    }

    @Property(tries = 20)
    void everyTableGetsExpectedRowsWithOneFieldPerColumn(
            @ForAll("smallScales") double scale, @ForAll long seed) {
        SampleDatabase sample = SampleDatabase.of(scale, seed);
        for (String table : sample.dataTables()) {
            List<String> rows = rows(sample, table);
            assertThat(rows).as(table).hasSize(Math.toIntExact(sample.expectedRows(table)));
            int columns = sample.copyColumns(table).size();
            for (String row : rows) {
                assertThat(row.split("\t", -1)).as("%s row %s", table, row).hasSize(columns);
                assertThat(row).as("a carriage return must be escaped").doesNotContain("\r");
            }
        }
    }

    @Property(tries = 20)
    void aTablesRowsDoNotDependOnWhatWasWrittenBefore(
            @ForAll("smallScales") double scale, @ForAll long seed) {
        SampleDatabase sample = SampleDatabase.of(scale, seed);
        List<String> tables = sample.dataTables();
        List<String> forward = new ArrayList<>();
        tables.forEach(table -> forward.add(copyData(sample, table)));

        SampleDatabase fresh = SampleDatabase.of(scale, seed);
        for (int i = tables.size() - 1; i >= 0; i--) {
            assertThat(copyData(fresh, tables.get(i))).as(tables.get(i)).isEqualTo(forward.get(i));
        }
    }

    @Property(tries = 20)
    void foreignKeysPointAtGeneratedRows(@ForAll("smallScales") double scale, @ForAll long seed) {
        SampleDatabase sample = SampleDatabase.of(scale, seed);
        Set<String> orderKeys = new HashSet<>();
        for (String[] order : fields(sample, ORDERS)) {
            orderKeys.add(order[0] + "|" + order[2]);
            assertThat(Long.parseLong(order[1])).isBetween(1L, sample.expectedRows(CUSTOMERS));
        }
        for (String[] line : fields(sample, ORDER_LINES)) {
            assertThat(orderKeys).contains(line[0] + "|" + line[2]);
            assertThat(Long.parseLong(line[3])).isBetween(1L, sample.expectedRows(PRODUCTS));
        }
    }

    @Property(tries = 20)
    void primaryAndUniqueKeysAreUnique(@ForAll("smallScales") double scale, @ForAll long seed) {
        SampleDatabase sample = SampleDatabase.of(scale, seed);
        // Also unique ignoring case, so a unique index on lower(email) would hold too.
        assertThat(fields(sample, CUSTOMERS).stream().map(c -> c[3].toLowerCase(Locale.ROOT))).doesNotHaveDuplicates();
        assertThat(fields(sample, PRODUCTS).stream().map(p -> p[1])).doesNotHaveDuplicates();
        assertThat(fields(sample, ORDERS).stream().map(o -> o[0])).doesNotHaveDuplicates();
        assertThat(fields(sample, ORDER_LINES).stream().map(l -> l[0] + "|" + l[1])).doesNotHaveDuplicates();
    }

    /** Strings dense in the characters COPY treats specially. */
    @Provide
    Arbitrary<String> copyText() {
        return Arbitraries.strings().withChars("\\\t\n\rN.").withCharRange('a', 'c').withChars("é☕").ofMaxLength(12);
    }

    @Property(tries = 100)
    void copyEscapingRoundTrips(@ForAll("copyText") String value) {
        String escaped = CopyRow.escape(value);
        assertThat(escaped).doesNotContain("\t", "\n", "\r");
        assertThat(unescape(escaped)).isEqualTo(value);
    }

    @Property(tries = 20)
    void tinyScalesStillGiveEveryTableARow(@ForAll("tinyScales") double scale) {
        SampleDatabase sample = SampleDatabase.of(scale);
        for (String table : sample.dataTables()) {
            assertThat(sample.expectedRows(table)).as(table).isPositive();
        }
    }

    @Property(tries = 20)
    void negativeScalesAreRejected(@ForAll @Negative double scale) {
        assertThatIllegalArgumentException().isThrownBy(() -> SampleDatabase.of(scale))
                .withMessage("scale must be > 0, was " + scale);
    }

    @Example
    void zeroAndNaNScalesAreRejected() {
        for (double scale : new double[] {0.0, -0.0, Double.NaN, Double.NEGATIVE_INFINITY}) {
            assertThatIllegalArgumentException().isThrownBy(() -> SampleDatabase.of(scale, 7))
                    .withMessage("scale must be > 0, was " + scale);
        }
        assertThatIllegalArgumentException().isThrownBy(() -> SampleDatabase.of(Double.POSITIVE_INFINITY))
                .withMessage("scale must be finite, was Infinity");
    }

    @Example
    void scaleOneHasTheDocumentedRowCounts() {
        SampleDatabase sample = SampleDatabase.of(1);
        assertThat(sample.seed()).isEqualTo(42);
        assertThat(sample.dataTables()).containsExactly(CUSTOMERS, PRODUCTS, ORDERS, ORDER_LINES);
        assertThat(sample.expectedRows(CUSTOMERS)).isEqualTo(20_000);
        assertThat(sample.expectedRows(PRODUCTS)).isEqualTo(2_000);
        assertThat(sample.expectedRows(ORDERS)).isEqualTo(80_000);
        assertThat(sample.expectedRows(ORDER_LINES)).isBetween(200_000L, 280_000L);
    }

    @Example
    void schemaDoesNotDependOnScaleOrSeed() {
        assertThat(SampleDatabase.of(0.5, 1).schemaSql()).isEqualTo(SampleDatabase.of(2, 99).schemaSql())
                .contains("PARTITION BY RANGE (ordered_at)", "orders_2025_12", "PARTITION OF shop.orders DEFAULT",
                        "GENERATED ALWAYS AS IDENTITY", "WITH NO DATA");
    }

    @Example
    void postDataCreatesLargeObjectsAndDependsOnTheSeed() {
        String postData = SampleDatabase.of(0.001, 1).postDataSql();
        assertThat(postData).contains("lo_from_bytea(424242,", "lo_from_bytea(424243,",
                "REFRESH MATERIALIZED VIEW shop.product_sales", "shop.invoice_number_seq");
        assertThat(postData).isNotEqualTo(SampleDatabase.of(0.001, 2).postDataSql());
    }

    @Example
    void unknownTablesAreRejected() {
        SampleDatabase sample = SampleDatabase.of(0.001);
        assertThatIllegalArgumentException().isThrownBy(() -> sample.expectedRows("public.customers"))
                .withMessageContaining("public.customers");
        assertThatIllegalArgumentException().isThrownBy(() -> sample.writeCopyData("shop.orders_default",
                new StringWriter()));
    }

    private static String copyData(SampleDatabase sample, String table) {
        StringWriter out = new StringWriter();
        try {
            sample.writeCopyData(table, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Escaped newlines are two characters, so a raw newline always ends a row. */
    private static List<String> rows(SampleDatabase sample, String table) {
        String data = copyData(sample, table);
        assertThat(data).endsWith("\n");
        return Arrays.asList(data.substring(0, data.length() - 1).split("\n", -1));
    }

    private static List<String[]> fields(SampleDatabase sample, String table) {
        return rows(sample, table).stream().map(row -> row.split("\t", -1)).toList();
    }

    /** The COPY text format's reading rules for the escapes the generator writes. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = field.charAt(++i);
            out.append(switch (next) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> next;
            });
        }
        return out.toString();
    }
}
