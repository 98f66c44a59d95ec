package io.pgcopydb.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.Problem;
import io.pgcopydb.Versions;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A failed restore in a downgrade names the downgrade as the likely cause; elsewhere nothing changes. */
class RunProblemsTest {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private static PgCopyException restoreFailed() {
        Problem p = Problem.of(ErrorCode.RESTORE_FAILED, "STEP 4 failed: pg_restore: syntax error at or near \"NULLS\"",
                "fix it");
        return PgCopyException.builder(p.code(), p.message()).problem(p).phase(Phase.PREPARE_SCHEMA).build();
    }

    @Test
    void aFailedRestoreInADowngradeSaysTheDowngradeIsTheLikelyCause() {
        PgCopyException e = RunProblems.settle(restoreFailed(), "", RunProblems.RUN_AGAIN,
                Optional.of(new Versions("15.4", "12.22", "15.4", BIN)));

        assertThat(e.getMessage()).isEqualTo("STEP 4 failed: pg_restore: syntax error at or near \"NULLS\" (likely "
                + "caused by the downgrade from PostgreSQL 15 to 12: pg_dump writes for its own version, and the "
                + "source uses something PostgreSQL 12 cannot hold)");
        assertThat(e.problems()).singleElement().extracting(Problem::remedy).isEqualTo("change or leave out on the "
                + "source what PostgreSQL 12 cannot hold (named by the failure), or copy into PostgreSQL 15 or "
                + "newer, then run the copy again");
    }

    @Test
    void anUpgradeOrUnknownVersionsLeaveTheFailureAsItWas() {
        PgCopyException upgrade = RunProblems.settle(restoreFailed(), "", RunProblems.RUN_AGAIN,
                Optional.of(new Versions("12.22", "15.4", "15.4", BIN)));
        PgCopyException unknown = RunProblems.settle(restoreFailed(), "", RunProblems.RUN_AGAIN, Optional.empty());

        for (PgCopyException e : new PgCopyException[] {upgrade, unknown}) {
            assertThat(e.getMessage()).isEqualTo("STEP 4 failed: pg_restore: syntax error at or near \"NULLS\"");
            assertThat(e.problems()).singleElement().extracting(Problem::remedy)
                    .isEqualTo("fix what pg_restore reported, then run the copy again");
        }
    }
}
