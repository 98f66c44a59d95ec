package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code pgcopydb demo} run in-process: it starts its own two servers. */
class DemoIT {

    @Test
    void demoCopiesTheSampleAndVerifiesIt() {
        CommandRun run = CommandRun.execute("demo", "--scale", "0.01", "--table-jobs", "2", "--index-jobs", "2");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("OID \\| Schema \\| +Name \\| Parts")
                .containsPattern("(?m)^verification: compared \\d+ schema objects and \\d+ tables \\([0-9,]+ rows\\): "
                        + "identical$");
        String last = run.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).as("the demo ends with the verification").startsWith("verification: ");
    }
}
