package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link TableMaintenance#mayHaveExpressions}: whether ANALYZE must wait for an index, read from
 * {@code pg_get_indexdef()}'s text — any expression key makes it wait, plain keys never do, whatever the names,
 * operator classes, collations, INCLUDE columns, storage parameters and predicate around them.
 */
class TableMaintenanceTest {

    @Test
    void examplesAsPostgresPrintsThem() {
        assertThat(TableMaintenance.mayHaveExpressions(
                "CREATE UNIQUE INDEX film_pkey ON public.film USING btree (film_id)")).isFalse();
        assertThat(TableMaintenance.mayHaveExpressions("CREATE INDEX i ON public.t USING btree (a text_pattern_ops,"
                + " b COLLATE \"C\" DESC NULLS LAST) INCLUDE (c) WITH (fillfactor='70') WHERE (d > 0)")).isFalse();
        assertThat(TableMaintenance.mayHaveExpressions(
                "CREATE INDEX \"we(ird\" ON \"s(\".\"t)\" USING btree (\"c(\"\"ol\")")).isFalse();
        assertThat(TableMaintenance.mayHaveExpressions(
                "CREATE INDEX i ON public.t USING btree (lower(email))")).isTrue();
        assertThat(TableMaintenance.mayHaveExpressions(
                "CREATE INDEX i ON public.t USING btree (a, ((b + c)))")).isTrue();
        assertThat(TableMaintenance.mayHaveExpressions("CREATE INDEX i ON public.t USING btree")).isTrue();
    }

    @Property(tries = 500)
    void anExpressionKeyAndOnlyThatMakesTheTableWait(@ForAll("names") String index, @ForAll("names") String table,
            @ForAll @Size(min = 1, max = 4) List<@net.jqwik.api.From("keys") Key> keys,
            @ForAll("names") String included, @ForAll boolean partial) {
        String definition = "CREATE INDEX " + index + " ON public." + table + " USING btree ("
                + keys.stream().map(Key::text).collect(Collectors.joining(", ")) + ") INCLUDE (" + included + ")"
                + (partial ? " WHERE (" + included + " IS NOT NULL)" : "");
        assertThat(TableMaintenance.mayHaveExpressions(definition)).as(definition)
                .isEqualTo(keys.stream().anyMatch(Key::expression));
    }

    record Key(String text, boolean expression) {
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> quoted = Arbitraries.strings().withChars("ab() ,\"").ofMinLength(1).ofMaxLength(8)
                .map(s -> "\"" + s.replace("\"", "\"\"") + "\"");
        return Arbitraries.oneOf(plain, quoted);
    }

    @Provide
    Arbitrary<Key> keys() {
        Arbitrary<String> suffix = Arbitraries.of("", " DESC", " text_pattern_ops", " COLLATE \"C\"",
                " COLLATE \"x(y\" DESC NULLS LAST");
        Arbitrary<Key> column = Combinators.combine(names(), suffix).as((n, s) -> new Key(n + s, false));
        Arbitrary<Key> expression = Combinators.combine(names(), Arbitraries.of("lower(%s)", "(%s || 'a(')",
                "((%s)::text)"), suffix).as((n, form, s) -> new Key(form.formatted(n) + s, true));
        return Arbitraries.oneOf(column, expression);
    }
}
