package io.pgcopydb.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.postgres.TocLine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The post-data restore's four passes: partition index attachments after the main pass, foreign keys after
 * them, event triggers last, every entry restored once.
 */
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
        Arbitrary<String> eventTriggerComment = Arbitraries.integers().between(1, 9999)
                .map(id -> id + "; 0 0 COMMENT - EVENT TRIGGER e" + id + " postgres");
        return Arbitraries.oneOf(entry, entry, entry, constraintComment, eventTriggerComment,
                Arbitraries.of("; Archive header", ";")).list().ofMaxSize(30);
    }

    @Property(tries = 300)
    void everyRestoredEntryRunsInExactlyOnePass(@ForAll("lists") List<String> list) {
        List<List<String>> passes = Arrays.stream(SchemaRestorer.Pass.values())
                .map(p -> SchemaRestorer.pass(list, p)).toList();

        for (int i = 0; i < list.size(); i++) {
            String line = list.get(i);
            boolean restored = TocLine.parse(line).isPresent();
            List<SchemaRestorer.Pass> in = new ArrayList<>();
            for (SchemaRestorer.Pass p : SchemaRestorer.Pass.values()) {
                List<String> out = passes.get(p.ordinal());
                assertThat(out).hasSameSizeAs(list);
                assertThat(out.get(i)).as("unchanged or commented out").isIn(line, ";" + line);
                if (TocLine.parse(out.get(i)).isPresent()) {
                    in.add(p);
                }
            }
            assertThat(in).as("restored exactly once when restored at all: %s", line).hasSize(restored ? 1 : 0);
            if (in.contains(SchemaRestorer.Pass.FOREIGN_KEYS)) {
                assertThat(line).containsAnyOf("FK CONSTRAINT", " CONSTRAINT ");
            }
            if (restored && line.contains(" INDEX ATTACH ")) {
                assertThat(in).as("partition index attachments in their own pass: %s", line)
                        .containsExactly(SchemaRestorer.Pass.INDEX_ATTACHES);
            }
            if (in.contains(SchemaRestorer.Pass.INDEX_ATTACHES)) {
                assertThat(line).contains(" INDEX ATTACH ");
            }
            if (in.contains(SchemaRestorer.Pass.EVENT_TRIGGERS)) {
                assertThat(line).contains("EVENT TRIGGER");
            }
            if (restored && line.contains("EVENT TRIGGER")) {
                assertThat(in).as("event triggers and their comments last: %s", line)
                        .containsExactly(SchemaRestorer.Pass.EVENT_TRIGGERS);
            }
        }
    }

    @Test
    void indexAttachmentsThenForeignKeysAndTheirCommentsWaitForTheirOwnPasses() {
        List<String> list = new ArrayList<>(List.of(
                "3510; 2606 16392 FK CONSTRAINT public measurement_notes measurement_notes_fkey postgres",
                "3500; 0 16391 INDEX ATTACH public measurements_2023_h1_region_idx postgres",
                "3600; 0 0 COMMENT public CONSTRAINT measurement_notes_fkey ON measurement_notes postgres",
                "3401; 1259 16380 INDEX public measurements_region_idx postgres",
                ";3492; 2606 16390 CONSTRAINT public film film_pkey postgres"));

        assertThat(SchemaRestorer.pass(list, SchemaRestorer.Pass.MAIN)).containsExactly(
                ";3510; 2606 16392 FK CONSTRAINT public measurement_notes measurement_notes_fkey postgres",
                ";3500; 0 16391 INDEX ATTACH public measurements_2023_h1_region_idx postgres",
                ";3600; 0 0 COMMENT public CONSTRAINT measurement_notes_fkey ON measurement_notes postgres",
                "3401; 1259 16380 INDEX public measurements_region_idx postgres",
                ";3492; 2606 16390 CONSTRAINT public film film_pkey postgres");
        assertThat(SchemaRestorer.pass(list, SchemaRestorer.Pass.INDEX_ATTACHES)).containsExactly(
                ";3510; 2606 16392 FK CONSTRAINT public measurement_notes measurement_notes_fkey postgres",
                "3500; 0 16391 INDEX ATTACH public measurements_2023_h1_region_idx postgres",
                ";3600; 0 0 COMMENT public CONSTRAINT measurement_notes_fkey ON measurement_notes postgres",
                ";3401; 1259 16380 INDEX public measurements_region_idx postgres",
                ";3492; 2606 16390 CONSTRAINT public film film_pkey postgres");
        assertThat(SchemaRestorer.pass(list, SchemaRestorer.Pass.FOREIGN_KEYS)).containsExactly(
                "3510; 2606 16392 FK CONSTRAINT public measurement_notes measurement_notes_fkey postgres",
                ";3500; 0 16391 INDEX ATTACH public measurements_2023_h1_region_idx postgres",
                "3600; 0 0 COMMENT public CONSTRAINT measurement_notes_fkey ON measurement_notes postgres",
                ";3401; 1259 16380 INDEX public measurements_region_idx postgres",
                ";3492; 2606 16390 CONSTRAINT public film film_pkey postgres");
    }
}
