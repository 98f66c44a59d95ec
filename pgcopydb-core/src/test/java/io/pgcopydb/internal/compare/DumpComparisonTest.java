package io.pgcopydb.internal.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DumpComparisonTest {

    @Test
    void normalisationDropsNoiseAndDatabaseNames() {
        List<String> dump = List.of("--", "-- Name: film; Type: TABLE; Schema: public; Owner: postgres", "",
                "\\restrict abc123", "CREATE TABLE public.film (", "    id integer", ");",
                "COMMENT ON DATABASE \"my db_src\" IS 'x';", "\\connect \"my db_src\"", "\\unrestrict abc123");
        List<String> other = List.of("\\restrict zzz", "CREATE TABLE public.film (", "    id integer", ");",
                "COMMENT ON DATABASE \"my db_tgt\" IS 'x';", "\\connect \"my db_tgt\"");

        List<DumpComparison.Line> source = DumpComparison.parse(dump, "my db_src");
        List<DumpComparison.Line> target = DumpComparison.parse(other, "my db_tgt");

        assertThat(source).extracting(DumpComparison.Line::text).containsExactly("CREATE TABLE public.film (",
                "    id integer", ");", "COMMENT ON DATABASE <database> IS 'x';");
        assertThat(source.get(0).object()).isEqualTo("table public.film");
        assertThat(DumpComparison.diff(source, target)).isEmpty();
    }

    /** The diff names exactly the lines that are on one side only, whatever the rest of the dump. */
    @Property(tries = 300)
    void theDiffNamesTheLinesAddedAndRemoved(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 15) Integer> common,
            @ForAll @IntRange(min = 0, max = 40) int at, @ForAll boolean remove) {
        List<DumpComparison.Line> a = new ArrayList<>();
        common.forEach(i -> a.add(new DumpComparison.Line("line " + i, "x")));
        List<DumpComparison.Line> b = new ArrayList<>(a);
        DumpComparison.Line odd = new DumpComparison.Line("odd line", "x");
        int where = Math.min(at, a.size());
        (remove ? a : b).add(where, odd);

        List<DumpComparison.Edit> edits = DumpComparison.diff(a, b);

        assertThat(edits).containsExactly(new DumpComparison.Edit(remove, odd));
    }
}
