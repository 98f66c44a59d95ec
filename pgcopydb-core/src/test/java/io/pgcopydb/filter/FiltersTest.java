package io.pgcopydb.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.filter.Filters.Entry;
import io.pgcopydb.filter.Filters.Section;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FiltersTest {

    private static Entry table(String text) {
        return Filters.none().excludeTable(text).entries(Section.EXCLUDE_TABLE).get(0);
    }

    private static Entry schema(String text) {
        return Filters.none().excludeSchema(text).entries(Section.EXCLUDE_SCHEMA).get(0);
    }

    @Test
    void noneIsEmptyAndEachMethodReturnsANewValue() {
        Filters none = Filters.none();
        Filters one = none.excludeTable("public.audit");

        assertThat(none.isEmpty()).isTrue();
        assertThat(none.excludedTables()).isEmpty();
        assertThat(one.isEmpty()).isFalse();
        assertThat(one.excludedTables()).containsExactly("public.audit");
        assertThat(one.excludeTable("public.audit")).as("an entry already present is not repeated").isEqualTo(one);
        assertThat(one.excludeTable()).as("no entries: unchanged").isSameAs(one);
    }

    @Test
    void everySectionHasItsGetter() {
        Filters f = Filters.none().includeOnlySchema("public").includeOnlyTable("public.a")
                .excludeTableData("public.b").excludeIndex("public.b_idx").excludeExtension("postgis");
        Filters g = Filters.none().excludeSchema("bar").excludeTable("foo.t").includeOnlyExtension("hstore");

        assertThat(f.includedSchemas()).containsExactly("public");
        assertThat(f.includedTables()).containsExactly("public.a");
        assertThat(f.excludedTableData()).containsExactly("public.b");
        assertThat(f.excludedIndexes()).containsExactly("public.b_idx");
        assertThat(f.excludedExtensions()).containsExactly("postgis");
        assertThat(g.excludedSchemas()).containsExactly("bar");
        assertThat(g.excludedTables()).containsExactly("foo.t");
        assertThat(g.includedExtensions()).containsExactly("hstore");
        assertThat(f.entries(Section.EXCLUDE_SCHEMA)).isEmpty();
    }

    @Test
    void equalityIgnoresOrderAndToStringNamesTheSections() {
        Filters a = Filters.none().excludeTable("public.a", "public.b").excludeSchema("bar");
        Filters b = Filters.none().excludeSchema("bar").excludeTable("public.b").excludeTable("public.a");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Filters.none().excludeTable("public.a"));
        assertThat(a.toString()).isEqualTo("Filters[excludeSchema=[bar], excludeTable=[public.a, public.b]]");
        assertThat(Filters.none()).hasToString("Filters[]");
    }

    @Test
    void exactNamesAreCaseSensitiveAndNotFolded() {
        Entry e = table("public.Orders");

        assertThat(e.isPattern()).isFalse();
        assertThat(e.matches("public", "Orders")).isTrue();
        assertThat(e.matches("public", "orders")).isFalse();
        assertThat(e.matches("Public", "Orders")).isFalse();
    }

    @Test
    void quotedPartsMayHoldDotsSpacesAndDoubledQuotes() {
        assertThat(table("\"Foo Bar\".\"My Table\"").matches("Foo Bar", "My Table")).isTrue();
        assertThat(table("\"my.schema\".t").matches("my.schema", "t")).isTrue();
        assertThat(table("public.\"say \"\"hi\"\"\"").matches("public", "say \"hi\"")).isTrue();
        assertThat(table("public.a.b").matches("public", "a.b")).as("split at the first dot").isTrue();
        assertThat(schema("\"Sales\"").matches("Sales")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"~/^tmp_/", "~[^tmp_]", "~{^tmp_}", "~(^tmp_)", "~<^tmp_>", "~\"^tmp_\"", "~'^tmp_'",
        "~|^tmp_|", "~#^tmp_#", "~$^tmp_$"})
    void everyDelimiterPairOfPgcopydb(String pattern) {
        Entry e = table("public." + pattern);

        assertThat(e.isPattern()).isTrue();
        assertThat(e.matches("public", "tmp_1")).isTrue();
        assertThat(e.matches("public", "x_tmp_1")).isFalse();
        assertThat(e.matches("other", "tmp_1")).isFalse();
    }

    @Test
    void patternsMatchUnanchoredLikePostgresTildeOperator() {
        Entry e = schema("~/staging_/");

        assertThat(e.matches("staging_2024")).isTrue();
        assertThat(e.matches("old_staging_x")).as("contains, not equals").isTrue();
        assertThat(e.matches("staging")).isFalse();
    }

    @Test
    void eitherOrBothPartsMayBePatternsAndSegmentsConcatenate() {
        assertThat(table("~/^log/.audit_log").matches("logs_2024", "audit_log")).isTrue();
        assertThat(table("~/archive/.~/_bak$/").matches("archive", "orders_bak")).isTrue();
        assertThat(table("~/archive/.~/_bak$/").matches("archive", "orders_bak2")).isFalse();
        assertThat(table("public.~/^a/~|b$|").matches("public", "ab")).isTrue();
        assertThat(table("public.~/^a/~|b$|").matches("public", "axb")).isFalse();
        assertThat(table("public.~/^a/(b$)").matches("public", "ab"))
                .as("a segment may follow without its own ~").isTrue();
        assertThat(table("public.~/^t.x$/").matches("public", "t_x"))
                .as("a dot inside a pattern is not the separator").isTrue();
        assertThat(table("public.~/a=b/").matches("public", "xa=by")).isTrue();
    }

    @Test
    void posixBracketExpressionsKeepTheirPostgresMeaning() {
        Entry digits = schema("~/^tenant_[[:digit:]]+$/");
        assertThat(digits.matches("tenant_42")).isTrue();
        assertThat(digits.matches("tenant_4x")).isFalse();

        Entry bracket = schema("~/^a[[b]$/");
        assertThat(bracket.matches("a[")).as("[ is literal inside brackets").isTrue();
        assertThat(schema("~/^a[]x]$/").matches("a]")).as("] first in brackets is literal").isTrue();
        assertThat(schema("~/^[a&&b]$/").matches("&")).as("&& is literal, not Java's intersection").isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "public|has no schema",
        ".orders|starts with a dot",
        "public.|the name after the dot is empty",
        "\"public.orders|no closing double quote",
        "\"pub\"lic.orders|expected a dot after the schema part",
        "public.\"a\"b|after the name",
        "pub\"lic.orders|double quotes must surround a whole name part",
        "public.ord~ers|'~' may only start a pattern part",
        "public.~/^tmp_|has no closing '/'",
        "public.~%x%|'~' must be followed by a delimited pattern",
        "public.~//|a pattern is empty",
        "public.~/(/|invalid regular expression \"(\"",
        "public.~/\\mword/|use \\b",
        "public.~/[[:<:]]word/|use \\b",
        "public.~/[[:letter:]]/|unknown character class [:letter:]",
        "public.\"\"|a quoted name is empty",
        "public. orders|starts or ends with spaces",
    })
    void malformedEntriesAreRejectedWithTheEntryAndTheFix(String entry, String expected) {
        assertThatThrownBy(() -> Filters.none().excludeTable(entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("excludeTable \"" + entry.strip() + "\" is malformed: ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void blankAndOverlongNamesAreRejected() {
        assertThatThrownBy(() -> Filters.none().excludeSchema("  "))
                .hasMessage("excludeSchema entry is blank; write a name or a ~/pattern/");
        String longName = "x".repeat(64);
        assertThatThrownBy(() -> Filters.none().includeOnlySchema(longName))
                .hasMessageContaining("is 64 bytes long; PostgreSQL names are at most 63 bytes");
        assertThat(Filters.none().includeOnlySchema("x".repeat(63)).includedSchemas()).hasSize(1);
        assertThatThrownBy(() -> Filters.none().excludeSchema("~/a/ b"))
                .hasMessageContaining("a quoted or pattern name must be the whole entry");
        assertThatThrownBy(() -> Filters.none().excludeSchema((String) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void includeOnlyAndExcludeOfTheSameKindContradictEachOtherInEitherOrder() {
        assertThatThrownBy(() -> Filters.none().includeOnlySchema("public").excludeSchema("bar"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("excludeSchema \"bar\" contradicts includeOnlySchema \"public\": an object is either"
                        + " picked by an include-only list or dropped by an exclude list, not both; keep one of the"
                        + " two lists");
        assertThatThrownBy(() -> Filters.none().excludeSchema("bar").includeOnlySchema("public"))
                .hasMessageStartingWith("includeOnlySchema \"public\" contradicts excludeSchema \"bar\"");
        assertThatThrownBy(() -> Filters.none().includeOnlyTable("public.a").excludeTable("public.b"))
                .hasMessageStartingWith("excludeTable \"public.b\" contradicts includeOnlyTable \"public.a\"");
        assertThatThrownBy(() -> Filters.none().excludeTable("public.b").includeOnlyTable("public.a"))
                .hasMessageStartingWith("includeOnlyTable \"public.a\" contradicts excludeTable \"public.b\"");
        assertThatThrownBy(() -> Filters.none().includeOnlyExtension("hstore").excludeExtension("postgis"))
                .hasMessageStartingWith("excludeExtension \"postgis\" contradicts includeOnlyExtension \"hstore\"");
        assertThatThrownBy(() -> Filters.none().excludeExtension("postgis").includeOnlyExtension("hstore"))
                .hasMessageStartingWith("includeOnlyExtension \"hstore\" contradicts excludeExtension \"postgis\"");
    }

    @Test
    void combinationsPgcopydbAllowsAreAllowed() {
        Filters f = Filters.none().includeOnlyTable("public.a").excludeSchema("bar")
                .excludeTableData("public.a").excludeIndex("public.a_idx");
        Filters g = Filters.none().includeOnlySchema("public").includeOnlyTable("public.a");
        Filters h = Filters.none().includeOnlySchema("public").excludeTable("public.audit");

        assertThat(f.excludedSchemas()).containsExactly("bar");
        assertThat(g.includedTables()).containsExactly("public.a");
        assertThat(h.excludedTables()).containsExactly("public.audit");
    }

    @Test
    void entriesKnowTheirKind() {
        Entry s = schema("bar");
        Entry t = table("public.a");

        assertThat(s.section()).isEqualTo(Section.EXCLUDE_SCHEMA);
        assertThat(s.text()).isEqualTo("bar");
        assertThat(s).hasToString("excludeSchema \"bar\"");
        assertThatThrownBy(() -> s.matches("public", "a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> t.matches("a")).isInstanceOf(IllegalStateException.class);
        assertThat(Section.fromIniName("exclude-table-data")).contains(Section.EXCLUDE_TABLE_DATA);
        assertThat(Section.fromIniName("Exclude-Table")).isEmpty();
    }
}
