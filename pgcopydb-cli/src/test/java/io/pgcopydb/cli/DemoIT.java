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
                .contains("verification: target identical to source (");
    }
}
