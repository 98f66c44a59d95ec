package io.pgcopydb.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.postgres.TocLine;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The post-data restore's two passes: foreign keys after everything else, every entry restored once. */
class PostDataPassesTest {
    private static final List<String> DESCS = List.of("INDEX", "INDEX ATTACH", "CONSTRAINT", "FK CONSTRAINT",
            "TRIGGER", "MATERIALIZED VIEW DATA", "POLICY", "PUBLICATION", "EVENT TRIGGER", "TABLE");

    @Provide
    Arbitrary<List<String>> lists() {
        Arbitrary<String> entry = Combinators.combine(Arbitraries.integers().between(1, 9999),
                Arbitraries.of(DESCS), Arbitraries.strings().withChars("ab _").ofMinLength(1).ofMaxLength(8),
                Arbitraries.of("", ";"))
                .as((id, desc, name, comment) -> comment + id + "; 1259 " + (16384 + id) + " " + desc + " public "
                        + name + " postgres");
        Arbitrary<String> constraintComment = Arbitraries.integers().between(1, 9999)
                .map(id -> id + "; 0 0 COMMENT public CONSTRAINT c" + id + " ON t postgres");
        return Arbitraries.oneOf(entry, entry, entry, constraintComment, Arbitraries.of("; Archive header", ";"))
                .list().ofMaxSize(30);
    }

    @Property(tries = 300)
    void everyRestoredEntryRunsInExactlyOnePassAndForeignKeysInTheSecond(@ForAll("lists") List<String> list) {
        List<String> first = SchemaRestorer.firstPass(list);
        List<String> second = SchemaRestorer.secondPass(list);

        assertThat(first).hasSameSizeAs(list);
        assertThat(second).hasSameSizeAs(list);
        for (int i = 0; i < list.size(); i++) {
            String line = list.get(i);
            boolean restored = TocLine.parse(line).isPresent();
            boolean inFirst = TocLine.parse(first.get(i)).isPresent();
            boolean inSecond = TocLine.parse(second.get(i)).isPresent();
            assertThat(inFirst || inSecond).as("restored once: %s", line).isEqualTo(restored);
            assertThat(inFirst && inSecond).as("not twice: %s", line).isFalse();
            if (inSecond) {
                assertThat(line).containsAnyOf("FK CONSTRAINT", " CONSTRAINT ");
            }
            for (String out : List.of(first.get(i), second.get(i))) {
                assertThat(out).as("unchanged or commented out").isIn(line, ";" + line);
            }
        }
    }

    @Test
    void foreignKeysAndTheirCommentsWaitForTheSecondPass() {
        List<String> list = new ArrayList<>(List.of(
                "3510; 2606 16392 FK CONSTRAINT public measurement_notes measurement_notes_fkey postgres",
                "3500; 0 16391 INDEX ATTACH public measurements_2023_h1_region_idx postgres",
                "3600; 0 0 COMMENT public CONSTRAINT measurement_notes_fkey ON measurement_notes postgres",
                ";3492; 2606 16390 CONSTRAINT public film film_pkey postgres"));

        assertThat(SchemaRestorer.firstPass(list)).containsExactly(
                ";3510; 2606 16392 FK CONSTRAINT public measurement_notes measurement_notes_fkey postgres",
                "3500; 0 16391 INDEX ATTACH public measurements_2023_h1_region_idx postgres",
                ";3600; 0 0 COMMENT public CONSTRAINT measurement_notes_fkey ON measurement_notes postgres",
                ";3492; 2606 16390 CONSTRAINT public film film_pkey postgres");
        assertThat(SchemaRestorer.secondPass(list)).containsExactly(
                "3510; 2606 16392 FK CONSTRAINT public measurement_notes measurement_notes_fkey postgres",
                ";3500; 0 16391 INDEX ATTACH public measurements_2023_h1_region_idx postgres",
                "3600; 0 0 COMMENT public CONSTRAINT measurement_notes_fkey ON measurement_notes postgres",
                ";3492; 2606 16390 CONSTRAINT public film film_pkey postgres");
    }
}
