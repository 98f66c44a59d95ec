package io.pgcopydb.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.postgres.TocLine;
import io.pgcopydb.stage.PostDataFilter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DefaultPostDataFilterTest {
    private static final List<String> DESCS = List.of("INDEX", "INDEX ATTACH", "CONSTRAINT", "FK CONSTRAINT",
            "CHECK CONSTRAINT", "TRIGGER", "RULE", "POLICY", "MATERIALIZED VIEW DATA", "TABLE", "SEQUENCE OWNED BY",
            "COMMENT", "ACL");

    private final PostDataFilter filter = new DefaultPostDataFilter();

    record Entry(int dumpId, long oid, String desc, String name) {
        String line() {
            return dumpId + "; " + (desc.equals("COMMENT") || desc.equals("ACL") ? "0 0" : "1259 " + oid) + " "
                    + desc + " public " + name + " postgres";
        }
    }

    @Provide
    Arbitrary<List<Entry>> tocs() {
        Arbitrary<Entry> entry = Combinators.combine(Arbitraries.integers().between(1, 9999),
                Arbitraries.longs().between(16384, 16400), Arbitraries.of(DESCS),
                Arbitraries.strings().alpha().numeric().withChars(' ', '_', '"').ofMinLength(1).ofMaxLength(20))
                .as(Entry::new);
        return entry.list().ofMaxSize(40);
    }

    @Property(tries = 300)
    void commentsOutExactlyWhatWasBuiltByOid(@ForAll("tocs") List<Entry> toc,
            @ForAll("oids") Set<Long> builtIndexes, @ForAll("oids") Set<Long> builtConstraints) {
        List<String> lines = new ArrayList<>(List.of(";", "; Archive created at 2026-11-24", ";     Format: CUSTOM"));
        toc.forEach(e -> lines.add(e.line()));

        List<String> out = filter.filter(lines, new PostDataFilter.Built(builtIndexes, builtConstraints));

        assertThat(out).hasSameSizeAs(lines);
        for (int i = 0; i < 3; i++) {
            assertThat(out.get(i)).as("header comments untouched").isEqualTo(lines.get(i));
        }
        for (int i = 0; i < toc.size(); i++) {
            Entry e = toc.get(i);
            boolean expectSkip = (e.desc().equals("INDEX") && builtIndexes.contains(e.oid()))
                    || ((e.desc().equals("CONSTRAINT") || e.desc().equals("FK CONSTRAINT"))
                    && builtConstraints.contains(e.oid()));
            String expected = expectSkip ? ";" + e.line() : e.line();
            assertThat(out.get(i + 3)).as("entry %s", e).isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<Set<Long>> oids() {
        return Arbitraries.longs().between(16384, 16400).set().ofMaxSize(10);
    }

    @Test
    void attachStaysEvenWhenItsOidWasBuiltAndForeignKeysAddedInTheDataStepGo() {
        List<String> toc = List.of(
                "3492; 2606 16390 CONSTRAINT public film film_pkey postgres",
                "3500; 0 16391 INDEX ATTACH public payment_p2022_01_pkey postgres",
                "3510; 2606 16392 FK CONSTRAINT public film film_language_id_fkey postgres",
                "3520; 1259 16393 INDEX public idx_title postgres");
        Set<Long> all = new HashSet<>(List.of(16390L, 16391L, 16392L, 16393L));

        assertThat(filter.filter(toc, new PostDataFilter.Built(all, all))).containsExactly(
                ";3492; 2606 16390 CONSTRAINT public film film_pkey postgres",
                "3500; 0 16391 INDEX ATTACH public payment_p2022_01_pkey postgres",
                ";3510; 2606 16392 FK CONSTRAINT public film film_language_id_fkey postgres",
                ";3520; 1259 16393 INDEX public idx_title postgres");
    }

    @Test
    void descriptionsAreMatchedLongestFirst() {
        assertThat(TocLine.parse("1; 0 5 MATERIALIZED VIEW DATA public mv postgres").orElseThrow().description())
                .isEqualTo("MATERIALIZED VIEW DATA");
        assertThat(TocLine.parse("1; 0 5 INDEX ATTACH public i postgres").orElseThrow().is("INDEX")).isFalse();
        assertThat(TocLine.parse("; 1 0 5 INDEX public i postgres")).isEmpty();
    }

    @Test
    void schemaNamesMayHoldSpaces() {
        TocLine e = TocLine.parse("6; 2615 16400 SCHEMA - With a space postgres").orElseThrow();
        assertThat(e.schemaName()).isEqualTo("With a space");
    }
}
