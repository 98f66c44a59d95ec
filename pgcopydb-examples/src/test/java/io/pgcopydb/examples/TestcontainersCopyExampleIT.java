package io.pgcopydb.examples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** Runs {@link TestcontainersCopyExample} where a Docker engine answers; skipped with the reason elsewhere. */
class TestcontainersCopyExampleIT {

    @Test
    void copiesOneContainerIntoAnother() throws Exception {
        assumeTrue(TestcontainersCopyExample.skipReason().isEmpty(),
                () -> TestcontainersCopyExample.skipReason().orElse(""));
        TestcontainersCopyExample.main(new String[0]);
    }
}
