package io.pgcopydb.testkit.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresPairExtension.class)
class DatasetsIT {

    @Test
    void pagilaLoadsWithItsRowCounts(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        for (Map.Entry<String, Long> expected : Datasets.PAGILA_ROW_COUNTS.entrySet()) {
            assertThat(pair.source().queryForLong("SELECT count(*) FROM " + expected.getKey()))
                    .as(expected.getKey()).isEqualTo(expected.getValue());
        }
        assertThat(pair.source().queryForString(
                "SELECT relispopulated FROM pg_class WHERE relname = 'rental_by_category'")).isEqualTo("f");
    }

    @Test
    void chinookLoadsWithItsTracks(DatabasePair pair) {
        Datasets.assumePresent("chinook");
        Datasets.loadChinook(pair.target());
        assertThat(pair.target().queryForLong("SELECT count(*) FROM track")).isEqualTo(3_503L);
    }

    @Test
    void absentDatasetIsExplained() {
        assertThat(Datasets.isPresent("no-such-dataset")).isFalse();
        assertThat(Datasets.absenceReason("no-such-dataset")).contains("shared/datasets/no-such-dataset")
                .contains(Datasets.DATASETS_VARIABLE);
    }
}
