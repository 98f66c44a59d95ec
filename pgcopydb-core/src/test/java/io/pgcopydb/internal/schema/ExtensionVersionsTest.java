package io.pgcopydb.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExtensionVersionsTest {
    private static final List<String> HSTORE = List.of("1.4", "1.5", "1.6", "1.7", "1.8");

    @Test
    void theSourcesVersionWhenTheTargetHasIt() {
        assertThat(ExtensionVersions.closest("1.5", HSTORE, "1.8"))
                .isEqualTo(new ExtensionVersions.Choice("1.5", Optional.empty()));
    }

    @Test
    void elseTheLowestAboveThenTheHighestBelowThenTheDefault() {
        assertThat(ExtensionVersions.closest("1.3", HSTORE, "1.8").version()).isEqualTo("1.4");
        assertThat(ExtensionVersions.closest("1.9", HSTORE, "1.8").version()).isEqualTo("1.8");
        assertThat(ExtensionVersions.closest("1.9", List.of("1.10", "1.11", "1.8"), "1.11").version())
                .as("numeric, not text, order").isEqualTo("1.10");
        assertThat(ExtensionVersions.closest("1.5.1", List.of("1.5", "1.6.0"), "1.6.0").version()).isEqualTo("1.6.0");
        assertThat(ExtensionVersions.closest("unpackaged", HSTORE, "1.8").version()).isEqualTo("1.8");
        assertThat(ExtensionVersions.closest("2.0beta", HSTORE, "1.8").rule()).contains("the target's default version");
    }

    @Test
    void dottedVersionsCompareNumerically() {
        assertThat(ExtensionVersions.compareDotted("1.10", "1.9")).isPositive();
        assertThat(ExtensionVersions.compareDotted("1.1", "1.1.0")).isZero();
        assertThat(ExtensionVersions.compareDotted("01.2", "1.10")).isNegative();
    }
}
