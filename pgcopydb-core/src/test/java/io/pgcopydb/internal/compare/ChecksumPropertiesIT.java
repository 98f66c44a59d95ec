package io.pgcopydb.internal.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.ServerProvider;
import io.pgcopydb.testkit.server.ServerProviders;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The row checksum against one real server: for random tables and random single-row edits, the figures differ
 * exactly when the rows differ as multisets (of their text), and never when only the order the rows were stored
 * in differs.
 */
class ChecksumPropertiesIT {
    private static final String DATABASE = "checksum_properties";
    private static PostgresServer server;
    private static ConnectionSpec spec;

    @BeforeContainer
    static void startServer() {
        server = ServerProviders.fromEnvironment().server(ServerProvider.Role.SOURCE);
        server.dropDatabase(DATABASE);
        server.createDatabase(DATABASE);
        spec = ConnectionSpec.jdbc(server.jdbcUrl(DATABASE), server.user(), server.password().orElse(null));
    }

    @AfterContainer
    static void stopServer() {
        if (server != null) {
            server.dropDatabase(DATABASE);
            server.close();
        }
    }

    /** A column type and how to write a random value of it as a SQL literal. */
    enum ColumnType {
        INT("int", "0", Arbitraries.integers().map(String::valueOf)),
        BIGINT("bigint", "0", Arbitraries.longs().map(String::valueOf)),
        TEXT("text", "''", Arbitraries.of("a", "Z", "'", "''", "\"", "\\", "\\N", ",", "(", ")", " ", "\t", "\n", "é", "中",
                "😀", "NULL", "{}").list().ofMaxSize(6).map(l -> quote(String.join("", l)))),
        NUMERIC("numeric", "0::numeric", Arbitraries.oneOf(Arbitraries.bigDecimals().between(new BigDecimal("-1e9"),
                new BigDecimal("1e9")).ofScale(3).map(BigDecimal::toPlainString), Arbitraries.of("1", "1.0", "1.00",
                "-0.5", "NaN")).map(v -> quote(v) + "::numeric")),
        FLOAT8("float8", "0::float8", Arbitraries.oneOf(Arbitraries.doubles().map(String::valueOf), Arbitraries.of("NaN",
                "Infinity", "-Infinity", "-0", "0", "0.1", "1e-300")).map(v -> quote(v) + "::float8")),
        TIMESTAMPTZ("timestamptz", "'2000-01-01T00:00:00Z'::timestamptz", Arbitraries.longs().between(-5_000_000_000L, 5_000_000_000L)
                .map(s -> quote(Instant.ofEpochSecond(s, (s % 1000) * 1000).toString()) + "::timestamptz")),
        BYTEA("bytea", "'\\x'::bytea", Arbitraries.bytes().array(byte[].class).ofMaxSize(12)
                .map(b -> "'\\x" + HexFormat.of().formatHex(b) + "'::bytea")),
        BOOLEAN("boolean", "false", Arbitraries.of("true", "false")),
        JSONB("jsonb", "'{}'::jsonb", Arbitraries.of("{\"a\": 1}", "[1, \"x\"]", "\"it's\"", "null", "{\"b\": {\"c\": [true, 1.5]}}",
                "{\"a\": 1.0}", "\"\\\\u00e9\"", "{}").map(v -> quote(v) + "::jsonb"));

        final String sql;
        final String plain;
        final Arbitrary<String> values;

        ColumnType(String sql, String plain, Arbitrary<String> values) {
            this.sql = sql;
            this.plain = plain;
            this.values = values;
        }

        /** A value or, one time in six, NULL. */
        Arbitrary<String> nullable() {
            return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, values), net.jqwik.api.Tuple.of(1,
                    Arbitraries.just("NULL")));
        }
    }

    /** What is done to one row. */
    enum EditKind {
        CHANGE_VALUE, DELETE_ROW, INSERT_ROW, DUPLICATE_ROW, DUPLICATE_OVER_ANOTHER, TOGGLE_NULL,
        /** A row stored twice replaced by another row stored twice: same count, and XOR of hashes would not see it. */
        DOUBLED_ROW_REPLACED
    }

    /**
     * The table before and after the edit.
     *
     * @param base the rows before
     * @param edited the rows after
     */
    record Tables(List<List<String>> base, List<List<String>> edited) {
    }

    /**
     * A table, its rows as SQL literals, and one edit.
     *
     * @param types the column types
     * @param rows the rows, each a literal per column
     * @param edit what is done to the edited copy
     * @param row which row the edit touches (modulo the row count)
     * @param column which column (modulo the column count)
     * @param newRow a fresh row, for inserts and changed values
     * @param seed the seed shuffling the rows' order
     */
    record Case(List<ColumnType> types, List<List<String>> rows, EditKind edit, int row, int column,
            List<String> newRow, long seed) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(ColumnType.class).list().ofMinSize(1).ofMaxSize(5).flatMap(types -> {
            Arbitrary<List<String>> row = Combinators.combine(types.stream().map(ColumnType::nullable).toList())
                    .as(List::copyOf);
            return Combinators.combine(row.list().ofMaxSize(25), Arbitraries.of(EditKind.class),
                    Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 100), row,
                    Arbitraries.longs()).as((rows, edit, r, c, fresh, seed) -> new Case(types, rows, edit, r, c,
                    fresh, seed));
        });
    }

    @Property(tries = 100)
    void figuresDifferExactlyWhenTheRowsDifferAsMultisets(@ForAll("cases") Case c) throws SQLException {
        Tables tables = edit(c);
        List<List<String>> edited = tables.edited();
        List<List<String>> reordered = new ArrayList<>(tables.base());
        Collections.shuffle(reordered, new Random(c.seed()));
        List<List<String>> editedShuffled = new ArrayList<>(edited);
        Collections.shuffle(editedShuffled, new Random(c.seed() + 1));
        server.execute(DATABASE, "DROP TABLE IF EXISTS a, b, c; " + create("a", c.types(), tables.base())
                + create("b", c.types(), editedShuffled) + create("c", c.types(), reordered));

        try (Connection reader = Sessions.openSource(spec, Optional.empty())) {
            Checksum a = Checksum.read(reader, table("a"), Optional.empty());
            Checksum b = Checksum.read(reader, table("b"), Optional.empty());
            Checksum reorderedFigures = Checksum.read(reader, table("c"), Optional.empty());
            boolean sameRows = sameMultiset(reader, "a", "b");
            Statistics.collect(c.edit(), sameRows ? "same rows" : "different rows");

            assertThat(reorderedFigures).as("the same rows in another order").isEqualTo(a);
            assertThat(sameMultiset(reader, "a", "c")).isTrue();
            assertThat(a.rows()).isEqualTo(tables.base().size());
            assertThat(b.equals(a)).as("figures equal %s / %s, rows the same: %s", a, b, sameRows).isEqualTo(sameRows);
        }
        Statistics.coverage(checker -> {
            checker.check(EditKind.DELETE_ROW, "different rows").count(n -> n > 0);
            checker.check(EditKind.DUPLICATE_OVER_ANOTHER, "different rows").count(n -> n > 0);
            checker.check(EditKind.DOUBLED_ROW_REPLACED, "different rows").count(n -> n > 0);
            checker.checkQuery((List<?> values) -> "different rows".equals(values.get(1))).percentage(p -> p > 50);
        });
    }

    /** The rows before and after the edit. */
    private static Tables edit(Case c) {
        List<List<String>> rows = new ArrayList<>(c.rows());
        if (c.edit() == EditKind.DOUBLED_ROW_REPLACED) {
            List<List<String>> base = new ArrayList<>(c.rows());
            List<String> doubled = rows.isEmpty() ? c.types().stream().map(t -> t.plain).toList()
                    : rows.get(c.row() % rows.size());
            base.addAll(List.of(doubled, doubled));
            rows.addAll(List.of(c.newRow(), c.newRow()));
            return new Tables(base, rows);
        }
        if (rows.isEmpty() || c.edit() == EditKind.INSERT_ROW) {
            rows.add(c.newRow());
            return new Tables(c.rows(), rows);
        }
        int i = c.row() % rows.size();
        int j = c.column() % c.types().size();
        switch (c.edit()) {
            case DELETE_ROW -> rows.remove(i);
            case DUPLICATE_ROW -> rows.add(rows.get(i));
            // The count stays the same: only the multiset tells.
            case DUPLICATE_OVER_ANOTHER -> rows.set((i + 1) % rows.size(), rows.get(i));
            case CHANGE_VALUE -> rows.set(i, with(rows.get(i), j, c.newRow().get(j)));
            case TOGGLE_NULL -> rows.set(i, with(rows.get(i), j, rows.get(i).get(j).equals("NULL")
                    ? c.newRow().get(j).equals("NULL") ? c.types().get(j).plain : c.newRow().get(j) : "NULL"));
            default -> throw new IllegalStateException(c.edit().name());
        }
        return new Tables(c.rows(), rows);
    }

    private static List<String> with(List<String> row, int column, String value) {
        List<String> copy = new ArrayList<>(row);
        copy.set(column, value);
        return copy;
    }

    private static String create(String name, List<ColumnType> types, List<List<String>> rows) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(name).append(" (");
        for (int i = 0; i < types.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("c").append(i).append(' ').append(types.get(i).sql);
        }
        sql.append("); ");
        if (!rows.isEmpty()) {
            sql.append("INSERT INTO ").append(name).append(" VALUES ").append(rows.stream()
                    .map(r -> "(" + String.join(", ", r) + ")").collect(Collectors.joining(", "))).append("; ");
        }
        return sql.toString();
    }

    /** The oracle: both tables' rows as text, sorted, compared whole (fine for test-sized tables). */
    private static boolean sameMultiset(Connection c, String x, String y) throws SQLException {
        String rows = "(SELECT array_agg(t ORDER BY t COLLATE \"C\") FROM (SELECT CAST(r.* AS text) AS t FROM public.%s r) s)";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + rows.formatted(x)
                + " IS NOT DISTINCT FROM " + rows.formatted(y))) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static QualifiedName table(String name) {
        return new QualifiedName("public", name);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
