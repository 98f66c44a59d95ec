package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPair;
import io.pgcopydb.testkit.sample.Datasets;
import org.junit.jupiter.api.Test;

/**
 * Major-version upgrades (issue 14): pagila copied exactly between servers of different major versions, with the
 * client tools the library selects (Debian's pg_dump 15 here, which dumps 12, 14 and 15 sources). Each version's
 * server is started once for the whole run by {@link PostgresPair}: six servers for these five pairs.
 */
class CrossVersionIT {

    @Test
    @PostgresPair(source = 12, target = 15)
    void pagilaFrom12To15(DatabasePair pair) {
        copiesPagilaExactly(pair, 12, 15);
    }

    @Test
    @PostgresPair(source = 12, target = 17)
    void pagilaFrom12To17(DatabasePair pair) {
        copiesPagilaExactly(pair, 12, 17);
    }

    @Test
    @PostgresPair(source = 14, target = 16)
    void pagilaFrom14To16(DatabasePair pair) {
        copiesPagilaExactly(pair, 14, 16);
    }

    @Test
    @PostgresPair(source = 14, target = 18)
    void pagilaFrom14To18(DatabasePair pair) {
        copiesPagilaExactly(pair, 14, 18);
    }

    @Test
    @PostgresPair(source = 15, target = 17)
    void pagilaFrom15To17(DatabasePair pair) {
        copiesPagilaExactly(pair, 15, 17);
    }

    private static void copiesPagilaExactly(DatabasePair pair, int sourceMajor, int targetMajor) {
        Datasets.assumePresent("pagila");
        assertThat(pair.source().server().serverVersionNum() / 10000).isEqualTo(sourceMajor);
        assertThat(pair.target().server().serverVersionNum() / 10000).isEqualTo(targetMajor);
        Datasets.loadPagila(pair.source());

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.jobs(4).indexJobs(4));

        assertThat(report.failures()).as("copy failures").isEmpty();
        assertThat(report.succeeded()).isTrue();
        assertThat(report.totalRows()).isGreaterThan(40_000);
        CopyAssertions.assertIdentical(pair);
    }
}
