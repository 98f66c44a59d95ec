package io.pgcopydb.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.CopyBuilder;
import io.pgcopydb.CopyStep;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.PlannedCopy;
import io.pgcopydb.internal.preflight.Preflight;
import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.internal.state.JournalEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Which steps a run makes, what it announces of them, and what preflight lets the target hold. */
class StepSelectionTest {

    @Property
    void aRunOfSomeStepsAnnouncesOnlyTheirUnits(@ForAll Set<CopyStep> steps) {
        StepSelection selection = StepSelection.of(copy().onlySteps(steps).options());
        PlannedCopy all = new PlannedCopy(List.of(), List.of(), List.of(), List.of(), List.of(), 7, 3, List.of());

        PlannedCopy announced = selection.restrict(all);

        assertThat(announced.sequences()).isEqualTo(steps.contains(CopyStep.SEQUENCES) ? 7 : 0);
        assertThat(announced.largeObjects()).isEqualTo(steps.contains(CopyStep.LARGE_OBJECTS) ? 3 : 0);
        assertThat(selection.writes()).isEqualTo(!steps.isEmpty());
        assertThat(selection.roles()).isEqualTo(steps.contains(CopyStep.ROLES));
        assertThat(selection.needsSchemaDump()).as("restoring from it, or dumping it alone").isEqualTo(
                steps.isEmpty() || steps.contains(CopyStep.EXTENSIONS) || steps.contains(CopyStep.PRE_DATA)
                        || steps.contains(CopyStep.POST_DATA));
    }

    @Test
    void aWholeCopyMakesEveryStepButRolesUnlessAsked() {
        StepSelection whole = StepSelection.of(copy().options());
        assertThat(whole.alone()).isFalse();
        assertThat(whole.steps()).isEqualTo(EnumSet.complementOf(EnumSet.of(CopyStep.ROLES)));
        assertThat(whole.roles()).isFalse();
        assertThat(StepSelection.of(copy().roles().options()).roles()).isTrue();
    }

    @Test
    void theTargetMayHoldWhatTheSameDirectorysEarlierStepsWrote() throws Exception {
        Path dir = Files.createTempDirectory("pgcopydb-selection-");
        try {
            StepSelection indexes = StepSelection.of(copy().steps(CopyStep.INDEXES).options());
            assertThat(indexes.targetRule(dir)).isEqualTo(Preflight.TargetRule.EMPTY);
            try (Journal journal = Journal.startOver(dir)) {
                journal.record(new JournalEntry.RunStarted("r1", Instant.now(), "pair"));
            }
            assertThat(indexes.targetRule(dir)).as("a run line alone wrote nothing (copy roles)")
                    .isEqualTo(Preflight.TargetRule.EMPTY);
            try (Journal journal = Journal.resume(dir)) {
                journal.record(new JournalEntry.PreDataRestored());
            }
            assertThat(indexes.targetRule(dir)).isEqualTo(Preflight.TargetRule.FILLED_BY_EARLIER_STEPS);
            assertThat(StepSelection.of(copy().options()).targetRule(dir)).as("a whole copy starts afresh")
                    .isEqualTo(Preflight.TargetRule.EMPTY);
            assertThat(StepSelection.of(copy().onlySteps(Set.of()).options()).targetRule(dir))
                    .isEqualTo(Preflight.TargetRule.NOT_WRITTEN);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static CopyBuilder copy() {
        return DatabaseCopy.from("postgres://u@src:5432/a").to("postgres://u@tgt:5432/b");
    }
}
