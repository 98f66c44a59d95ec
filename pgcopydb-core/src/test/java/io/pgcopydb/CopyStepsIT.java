package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import io.pgcopydb.testkit.sample.SampleDatabase;
import io.pgcopydb.testkit.server.TempDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each {@link CopyStep} run alone, in order, on one work directory gives the database a whole copy gives; a step
 * whose prerequisite is missing, a data step after post-data, and a target that earlier steps of another work
 * directory did not fill, are refused before anything is written.
 */
@ExtendWith(PostgresPairExtension.class)
class CopyStepsIT {

    @Test
    void eachStepAloneInOrderOnOneWorkDirectoryMakesAnExactCopy(DatabasePair pair) throws Exception {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        pair.source().execute("SELECT lo_from_bytea(0, 'a large object'::bytea)");
        Path work = TempDirectories.create("pgcopydb-steps-");
        try {
            for (CopyStep step : CopyStep.values()) {
                RecordingListener listener = new RecordingListener();
                CopyReport report = copy(pair, work).steps(step).listener(listener).run();
                assertThat(report.succeeded()).as(step.name()).isTrue();
                assertThat(report.workDirectory()).as("kept for the next step").contains(work);
                listener.assertPaired();
            }
            CopyAssertions.assertIdentical(pair);
            List<String> postData = Files.readAllLines(work.resolve("post-data.list"));
            // rental_category is on a materialized view: post-data builds it after the view's data, as a clone does.
            assertThat(postData.stream().filter(l -> l.matches("^\\d+;.* INDEX public .*")).toList())
                    .as("post-data left the indexes the indexes step built alone")
                    .singleElement().asString().endsWith("INDEX public rental_category postgres");
        } finally {
            TempDirectories.deleteRecursively(work);
        }
    }

    @Test
    void aStepWhosePrerequisiteIsMissingIsRefusedInOneLine(DatabasePair pair) {
        pair.source().load(SampleDatabase.of(0.01));
        Path work = TempDirectories.create("pgcopydb-steps-");
        try {
            PgCopyException noTables = catchThrowableOfType(PgCopyException.class,
                    () -> copy(pair, work).steps(CopyStep.TABLE_DATA).run());
            assertThat(noTables.code()).isEqualTo(ErrorCode.STEP_PREREQUISITE_MISSING);
            assertThat(noTables.getMessage()).contains("the target has no table").contains("pre-data step first");

            assertThat(copy(pair, work).onlySteps(EnumSet.of(CopyStep.PRE_DATA)).run().succeeded()).isTrue();
            PgCopyException noRows = catchThrowableOfType(PgCopyException.class,
                    () -> copy(pair, work).steps(CopyStep.INDEXES).run());
            assertThat(noRows.code()).isEqualTo(ErrorCode.STEP_PREREQUISITE_MISSING);
            assertThat(noRows.getMessage()).contains("table-data step first");

            assertThat(copy(pair, work).steps(CopyStep.POST_DATA).run().succeeded()).isTrue();
            PgCopyException tooLate = catchThrowableOfType(PgCopyException.class,
                    () -> copy(pair, work).steps(CopyStep.TABLE_DATA).run());
            assertThat(tooLate.code()).as("table data after post-data's foreign keys")
                    .isEqualTo(ErrorCode.STEP_PREREQUISITE_MISSING);
            assertThat(tooLate.getMessage()).contains("post-data was restored with this work directory already");

            Path other = TempDirectories.create("pgcopydb-steps-other-");
            try {
                PgCopyException foreign = catchThrowableOfType(PgCopyException.class,
                        () -> copy(pair, other).steps(CopyStep.TABLE_DATA).run());
                assertThat(foreign.code()).as("a target filled by another work directory's steps")
                        .isEqualTo(ErrorCode.TARGET_NOT_EMPTY);
            } finally {
                TempDirectories.deleteRecursively(other);
            }
        } finally {
            TempDirectories.deleteRecursively(work);
        }
    }

    private static CopyBuilder copy(DatabasePair pair, Path work) {
        return DatabaseCopy.from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.target()))
                .workDirectory(work);
    }
}
