package io.pgcopydb.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.DatabaseComparison;
import io.pgcopydb.testkit.DatabasePair;
import io.pgcopydb.testkit.Datasets;
import io.pgcopydb.testkit.PostgresPairExtension;
import io.pgcopydb.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code pgcopydb clone} run in-process against two real servers. */
@ExtendWith(PostgresPairExtension.class)
class CloneCommandIT {

    @Test
    void clonesPagilaAndPrintsTheSummary(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()),
                "--target", connectionString(pair.target()), "--table-jobs", "2", "--index-jobs", "2");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        // Columns are right-aligned to their longest value, so "Name" is padded.
        assertThat(run.out()).as("the per-table summary").containsPattern("OID \\| Schema \\| +Name \\| Parts");
        assertThat(run.out()).as("the step summary").contains("Total Wall Clock Duration");
        assertThat(run.err()).as("nothing on stderr after a success").isEmpty();
        DatabaseComparison.of(pair.source(), pair.target()).compare().assertIdentical();
    }

    @Test
    void unreachableTargetExitsThreeWithOneLine(DatabasePair pair) {
        CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()),
                "--target", "postgres://postgres@127.0.0.1:1/x");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONNECTION_FAILED);
        assertThat(run.errLines()).as(run.toString()).singleElement().asString().startsWith("pgcopydb: ");
        assertThat(run.err()).as("no stack trace without --debug").doesNotContain("\tat ", "Exception");
        assertThat(run.out()).isEmpty();
    }

    private static String connectionString(TestDatabase db) {
        return CommandRun.connectionString(db);
    }
}
