package io.pgcopydb.internal.follow;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** A script's literals: placeholders outside quoted identifiers become quoted values, nothing else changes. */
class ApplyScriptTest {

    @Test
    void placeholdersInsideQuotedIdentifiersStayAndValuesAreQuoted() {
        StringBuilder out = new StringBuilder();
        ApplyScript.inline(out, "UPDATE \"s?\".\"t\"\"?\" SET \"a?\" = ?::text WHERE \"k\" = ?::\"my?type\"",
                new String[] {"it's ?", null});
        assertThat(out).hasToString("UPDATE \"s?\".\"t\"\"?\" SET \"a?\" = 'it''s ?'::text WHERE \"k\" = NULL::\"my?type\"");
    }

    @Property
    void anyValueBecomesOneLiteralThatReadsBackAsItself(@ForAll String value) {
        StringBuilder out = new StringBuilder();
        ApplyScript.inline(out, "?", new String[] {value});
        String literal = out.toString();
        assertThat(literal).startsWith("'").endsWith("'");
        String inner = literal.substring(1, literal.length() - 1);
        assertThat(inner.replace("''", "")).doesNotContain("'");
        assertThat(inner.replace("''", "'")).isEqualTo(value);
    }
}
