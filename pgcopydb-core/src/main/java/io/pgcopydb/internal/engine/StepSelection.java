package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.CopyStep;
import io.pgcopydb.PlannedCopy;
import io.pgcopydb.internal.preflight.Preflight;
import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.internal.state.JournalEntry;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which of the {@link CopyStep}s a run makes: all of them (a whole copy), or those named by
 * {@code CopyBuilder.steps(…)}, run alone on a work directory that earlier steps may have written. Immutable.
 *
 * @param steps the steps the run makes
 * @param alone whether they were named (steps run alone), rather than the whole copy
 * @param roles whether roles are copied: named, or asked by {@code roles()} in a whole copy; in a run of no step,
 *     whether they are dumped
 */
record StepSelection(Set<CopyStep> steps, boolean alone, boolean roles) {
    /** The steps of the data phase: per table COPY, indexes, constraints, VACUUM. */
    private static final Set<CopyStep> DATA = EnumSet.of(CopyStep.TABLE_DATA, CopyStep.INDEXES,
            CopyStep.CONSTRAINTS, CopyStep.VACUUM);

    StepSelection {
        steps = Set.copyOf(steps);
    }

    /** The selection {@code options} asks for. */
    static StepSelection of(CopyOptions options) {
        // No step with roles(): the roles are dumped alone beside the schema (dump roles).
        return options.steps().map(s -> new StepSelection(s, true, s.contains(CopyStep.ROLES)
                        || s.isEmpty() && options.roles()))
                .orElseGet(() -> new StepSelection(EnumSet.complementOf(EnumSet.of(CopyStep.ROLES)), false,
                        options.roles()));
    }

    /** Whether the run makes {@code step}. */
    boolean runs(CopyStep step) {
        return steps.contains(step);
    }

    /** Whether the run writes to the target: a run of no step only dumps the schema. */
    boolean writes() {
        return !steps.isEmpty();
    }

    /** Whether the data step (COPY, indexes, constraints, VACUUM) has anything to do. */
    boolean runsData() {
        return steps.stream().anyMatch(DATA::contains);
    }

    /** Whether the run needs the schema archive: it restores from it, or it is a schema dump alone. */
    boolean needsSchemaDump() {
        return !writes() || runs(CopyStep.EXTENSIONS) || runs(CopyStep.PRE_DATA) || runs(CopyStep.POST_DATA);
    }

    /**
     * What preflight lets the target hold: anything when nothing is written; what earlier steps wrote when the
     * work directory's journal (of this pair: the work directory refuses another pair's) records a write.
     */
    Preflight.TargetRule targetRule(Path workDirectory) {
        if (!writes()) {
            return Preflight.TargetRule.NOT_WRITTEN;
        }
        boolean filled = alone && Journal.entries(workDirectory).stream()
                .anyMatch(e -> e.kind() != JournalEntry.Kind.RUN && e.kind() != JournalEntry.Kind.UNDONE);
        return filled ? Preflight.TargetRule.FILLED_BY_EARLIER_STEPS : Preflight.TargetRule.EMPTY;
    }

    /** {@code all} without the units of the steps this run does not make: the listener hears of these only. */
    PlannedCopy restrict(PlannedCopy all) {
        if (!alone) {
            return all;
        }
        return new PlannedCopy(runs(CopyStep.TABLE_DATA) ? all.parts() : List.of(),
                runs(CopyStep.TABLE_DATA) ? all.schemaOnlyTables() : List.of(),
                runs(CopyStep.INDEXES) ? all.indexes() : List.of(),
                runs(CopyStep.CONSTRAINTS) ? all.constraints() : List.of(),
                runs(CopyStep.VACUUM) ? all.vacuums() : List.of(),
                runs(CopyStep.SEQUENCES) ? all.sequences() : 0,
                runs(CopyStep.LARGE_OBJECTS) ? all.largeObjects() : 0,
                runs(CopyStep.POST_DATA) ? all.postDataIndexes() : List.of());
    }
}
