package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPair;
import io.pgcopydb.testkit.sample.Datasets;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Major-version upgrades (issue 14): pagila, chinook and the every-kind fixture copied exactly between servers of different major
 * versions, with the client tools the library selects (Debian's pg_dump 15 here, which dumps 12, 14 and 15
 * sources). Each version's server is started once for the whole run by {@link PostgresPair}: six servers for
 * these five pairs.
 *
 * <p>What the comparison normalises across versions, each only when the two sides straddle the version: the
 * {@code MAINTAIN} privilege 17 gives a relation's owner by default ({@code NewPrivileges}); the column qualifiers
 * servers before 16 print in single-relation views ({@code SingleRelationViews}: every pair into 16+); the
 * {@code IN} 14 and later print in procedures' arguments ({@code ProcedureArguments}: 12 into 15 and 17). The
 * pg_dump safety net of {@code DatabaseCompare} runs only between servers of one major version, so it is skipped
 * here. The every-kind fixture's 12 and 14 variants are {@link EveryKindVariant}'s.
 */
class CrossVersionIT {

    /** The copies every pair runs; each nested class names its versions. */
    abstract static class Copies {
        @Test
        void pagila(DatabasePair pair) {
            Datasets.assumePresent("pagila");
            checkVersions(pair);
            Datasets.loadPagila(pair.source());

            CopyReport[] copied = new CopyReport[1];
            String log = LogCapture.capture(() -> copied[0] = CopyAssertions.copy(pair, new RecordingListener(),
                    b -> b.jobs(4).indexJobs(4)));
            CopyReport report = copied[0];

            assertThat(log).as("every preflight query runs on this source's version").doesNotContain("could not run");
            assertThat(report.failures()).as("copy failures").isEmpty();
            assertThat(report.succeeded()).isTrue();
            assertThat(report.totalRows()).isGreaterThan(40_000);
            CopyAssertions.assertIdentical(pair);
        }

        @Test
        void chinook(DatabasePair pair) {
            Datasets.assumePresent("chinook");
            checkVersions(pair);
            Datasets.loadChinook(pair.source());

            CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.jobs(2).indexJobs(2));

            assertThat(report.failures()).as("copy failures").isEmpty();
            assertThat(report.tables()).hasSize(11);
            CopyAssertions.assertIdentical(pair);
        }

        /**
         * The every-kind fixture, with what the source's version cannot hold rewritten ({@link EveryKindVariant}),
         * copied exactly. Its roles are created on both servers and stay there: the servers are the run's own.
         */
        @Test
        void everyKind(DatabasePair pair, @TempDir Path temp) {
            checkVersions(pair);
            EveryKindVariant.loadInto(pair, temp);

            CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.jobs(4).indexJobs(4));

            assertThat(report.failures()).as("copy failures").isEmpty();
            assertThat(report.succeeded()).isTrue();
            CopyAssertions.assertIdentical(pair);
        }

        /** The servers are of the versions the class asks for: the test proves what its name says. */
        void checkVersions(DatabasePair pair) {
            PostgresPair versions = getClass().getAnnotation(PostgresPair.class);
            assertThat(pair.source().server().serverVersionNum() / 10000).as("source major").isEqualTo(versions.source());
            assertThat(pair.target().server().serverVersionNum() / 10000).as("target major").isEqualTo(versions.target());
        }
    }

    @Nested
    @PostgresPair(source = 12, target = 15)
    class From12To15 extends Copies {
    }

    @Nested
    @PostgresPair(source = 12, target = 17)
    class From12To17 extends Copies {
    }

    @Nested
    @PostgresPair(source = 14, target = 16)
    class From14To16 extends Copies {
    }

    @Nested
    @PostgresPair(source = 14, target = 18)
    class From14To18 extends Copies {
    }

    @Nested
    @PostgresPair(source = 15, target = 17)
    class From15To17 extends Copies {
    }
}
