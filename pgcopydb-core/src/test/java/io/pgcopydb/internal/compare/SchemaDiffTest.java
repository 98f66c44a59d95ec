package io.pgcopydb.internal.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.compare.Difference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaDiffTest {

    @Test
    void reportsByObjectThenAspectAndCountsEachObjectOnce() {
        SchemaSnapshot source = new SchemaSnapshot();
        source.add("table public.b", List.of(), Map.of("owner", "app", "comment", "x"));
        source.add("table public.a", List.of(), Map.of("owner", "app"));
        source.add("index public.gone", List.of("table public.a"), Map.of("definition", "CREATE INDEX gone …"));
        SchemaSnapshot target = new SchemaSnapshot();
        target.add("table public.b", List.of(), Map.of("owner", "other", "comment", "y"));
        target.add("table public.a", List.of(), Map.of("owner", "app"));
        target.add("view public.v", List.of(), Map.of("definition", "SELECT 1"));

        SchemaComparer.Result result = SchemaDiff.diff(source, target);

        assertThat(result.objectsCompared()).isEqualTo(4);
        assertThat(result.differences()).extracting(Difference::toString).containsExactly(
                "index public.gone exists: source CREATE INDEX gone … / target (absent)",
                "table public.b comment: source x / target y",
                "table public.b owner: source app / target other",
                "view public.v exists: source (absent) / target SELECT 1");
        assertThat(result.differences().get(0).missingOnTarget()).isTrue();
        assertThat(result.differences().get(3).extraOnTarget()).isTrue();
    }

    @Test
    void thePartsOfAnObjectMissingOnOneSideAreNotReportedAgain() {
        SchemaSnapshot source = new SchemaSnapshot();
        source.add("table public.t", List.of(), Map.of("owner", "app"));
        source.add("column public.t.id", List.of("table public.t"), Map.of("type", "integer"));
        source.add("table public.t in publication p", List.of("publication p", "table public.t"), Map.of());
        source.add("publication p", List.of(), Map.of());
        SchemaSnapshot target = new SchemaSnapshot();
        target.add("publication p", List.of(), Map.of());

        SchemaComparer.Result result = SchemaDiff.diff(source, target);

        assertThat(result.differences()).extracting(d -> d.object() + " " + d.aspect())
                .containsExactly("table public.t exists");
        assertThat(result.objectsCompared()).isEqualTo(4);
    }

    @Test
    void anAspectOnlyOneServerVersionHasIsNotCompared() {
        SchemaSnapshot source = new SchemaSnapshot();
        source.add("column public.t.id", List.of(), Map.of("type", "integer"));
        SchemaSnapshot target = new SchemaSnapshot();
        target.add("column public.t.id", List.of(), Map.of("type", "integer", "compression", "lz4"));

        assertThat(SchemaDiff.diff(source, target).differences()).isEmpty();
        assertThat(SchemaDiff.diff(target, source).differences()).isEmpty();
    }

    @Test
    void withoutAFilterEveryConditionHoldsAndAnUnknownOneIsABug() {
        Map<String, String> aspects = new java.util.HashMap<>(Map.of("owned by", "s.t.c", "validated", "true"));

        assertThat(CatalogSnapshotReader.inScope(CompareScope.everything(), new String[] {"relation", "s", "t",
            "schema", "s", "created", "s", "extension", "e", "needs", "owned by", "s", "u", "rows", "validated", "s",
            "u"}, aspects)).isTrue();
        assertThat(aspects).containsOnlyKeys("owned by", "validated");
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> CatalogSnapshotReader
                .inScope(CompareScope.everything(), new String[] {"tablespace", "x"}, aspects));
    }
}
