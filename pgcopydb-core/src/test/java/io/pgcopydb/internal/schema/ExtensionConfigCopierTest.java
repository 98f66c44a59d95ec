package io.pgcopydb.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.QualifiedName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ExtensionConfigCopierTest {

    /** Configuration tables and the foreign keys between them, acyclic: a table only references lower OIDs. */
    record Schema(List<ExtensionConfigCopier.ConfigRelation> relations, Map<Long, Set<Long>> referenced) {
    }

    @Provide
    Arbitrary<Schema> schemas() {
        return Arbitraries.integers().between(0, 12).flatMap(n -> Arbitraries.randoms().map(random -> {
            List<ExtensionConfigCopier.ConfigRelation> relations = new ArrayList<>();
            Map<Long, Set<Long>> referenced = new HashMap<>();
            for (int i = 0; i < n; i++) {
                long oid = 100 + i;
                relations.add(relation(oid));
                for (int j = 0; j < i; j++) {
                    if (random.nextInt(4) == 0) {
                        referenced.computeIfAbsent(oid, k -> new HashSet<>()).add(100L + j);
                    }
                }
                if (random.nextInt(6) == 0) {
                    // a reference to a table of another extension, which is not in this list
                    referenced.computeIfAbsent(oid, k -> new HashSet<>()).add(999L);
                }
            }
            java.util.Collections.shuffle(relations, random);
            return new Schema(relations, referenced);
        }));
    }

    @Property(tries = 300)
    void everyTableComesAfterTheTablesItReferences(@ForAll("schemas") Schema schema) {
        List<ExtensionConfigCopier.ConfigRelation> ordered =
                ExtensionConfigCopier.dependencyOrder(schema.relations(), schema.referenced());

        assertThat(ordered).as("a permutation").containsExactlyInAnyOrderElementsOf(schema.relations());
        Set<Long> loaded = new HashSet<>();
        for (ExtensionConfigCopier.ConfigRelation r : ordered) {
            for (long parent : schema.referenced().getOrDefault(r.oid(), Set.of())) {
                if (parent != 999L) {
                    assertThat(loaded).as("%s references %s", r.oid(), parent).contains(parent);
                }
            }
            loaded.add(r.oid());
        }
    }

    @Test
    void aCycleKeepsTheOriginalOrderInsteadOfLooping() {
        List<ExtensionConfigCopier.ConfigRelation> relations = List.of(relation(1), relation(2), relation(3));
        Map<Long, Set<Long>> referenced = Map.of(1L, Set.of(2L), 2L, Set.of(1L));

        assertThat(ExtensionConfigCopier.dependencyOrder(relations, referenced))
                .extracting(ExtensionConfigCopier.ConfigRelation::oid).containsExactly(3L, 1L, 2L);
    }

    private static ExtensionConfigCopier.ConfigRelation relation(long oid) {
        return new ExtensionConfigCopier.ConfigRelation(oid, new QualifiedName("cfg", "t" + oid), false, "",
                List.of("id"));
    }
}
