package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> CLONE_OPTIONS = List.of("--source", "--target", "--table-jobs", "--index-jobs",
            "--restore-jobs", "--dir", "--verbose", "--verify", "--skip-vacuum", "--no-owner", "-j");

    @Test
    void aMistypedOptionGetsTheOptionItWasMeantToBe() {
        assertThat(Suggestions.closest("--table-job", CLONE_OPTIONS)).containsExactly("--table-jobs");
        assertThat(Suggestions.closest("--tablejobs", CLONE_OPTIONS)).containsExactly("--table-jobs");
        assertThat(Suggestions.closest("--soruce", CLONE_OPTIONS)).containsExactly("--source");
        assertThat(Suggestions.closest("--SKIP-VACUM", CLONE_OPTIONS)).containsExactly("--skip-vacuum");
    }

    @Test
    void severalEquallyCloseNamesComeInAlphabeticalOrderAfterNearerOnes() {
        assertThat(Suggestions.closest("--ver", CLONE_OPTIONS)).containsExactly("--verify", "--verbose");
        assertThat(Suggestions.closest("--tabel", List.of("--table", "--tablespace", "--label")))
                .containsExactly("--label", "--table");
        assertThat(Suggestions.closest("--index-jbos", CLONE_OPTIONS)).containsExactly("--index-jobs");
    }

    @Test
    void aBeginningOfThreeCharactersOrMoreSuggestsWhatItBegins() {
        assertThat(Suggestions.closest("--res", CLONE_OPTIONS)).containsExactly("--restore-jobs");
    }

    @Test
    void nothingCloseSuggestsNothing() {
        assertThat(Suggestions.closest("--frobnicate", CLONE_OPTIONS)).isEmpty();
        assertThat(Suggestions.closest("-q", CLONE_OPTIONS)).isEmpty();
        assertThat(Suggestions.closest("--x", List.of())).isEmpty();
    }

    @Test
    void theDistanceCountsASwapOfNeighboursAsOneEdit() {
        assertThat(Suggestions.distance("jobs", "jbos")).isEqualTo(1);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Property
    void aNameWithOneTypoIsSuggested(@ForAll("typo") Typo typo) {
        List<String> names = List.of("--" + typo.name(), "--zzzzzzzzzzzzzzzzzzzzzz");

        assertThat(Suggestions.closest("--" + typo.typed(), names)).contains("--" + typo.name());
    }

    @Property
    void neverMoreThanTheMaximumAndOnlyNamesGiven(@ForAll @AlphaChars @StringLength(max = 12) String typed,
            @ForAll("names") List<String> names) {
        List<String> suggestions = Suggestions.closest(typed, names);

        assertThat(suggestions).hasSizeLessThanOrEqualTo(Suggestions.MAX).doesNotHaveDuplicates();
        assertThat(names).containsAll(suggestions);
    }

    @Property
    void theDistanceIsSymmetricAndZeroOnlyForEqualWords(@ForAll @StringLength(max = 10) String a,
            @ForAll @StringLength(max = 10) String b) {
        assertThat(Suggestions.distance(a, b)).isEqualTo(Suggestions.distance(b, a));
        assertThat(Suggestions.distance(a, b) == 0).isEqualTo(a.equals(b));
        assertThat(Suggestions.distance(a, b)).isBetween(Math.abs(a.length() - b.length()),
                Math.max(a.length(), b.length()));
    }

    /** A name of 5 letters or more, and the name after one edit: a letter deleted, replaced or inserted, or 2 swapped. */
    record Typo(String name, String typed) {
    }

    @Provide
    Arbitrary<Typo> typo() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(5).ofMaxLength(20);
        return Combinators.combine(names, Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 19),
                Arbitraries.chars().range('a', 'z')).as((name, kind, at, c) -> {
                    int i = at % name.length();
                    String typed = switch (kind) {
                        case 0 -> name.substring(0, i) + name.substring(i + 1);
                        case 1 -> name.substring(0, i) + c + name.substring(i + 1);
                        case 2 -> name.substring(0, i) + c + name.substring(i);
                        default -> i + 1 < name.length()
                                ? name.substring(0, i) + name.charAt(i + 1) + name.charAt(i) + name.substring(i + 2)
                                : name;
                    };
                    return new Typo(name, typed);
                });
    }

    @Provide
    Arbitrary<List<String>> names() {
        return Arbitraries.strings().withCharRange('a', 'e').withChars('-').ofMinLength(1).ofMaxLength(8).list()
                .ofMaxSize(12);
    }
}
