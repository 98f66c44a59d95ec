package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyStep;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.Problem;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.internal.state.JournalEntry.Kind;
import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a step run alone needs from the steps before it, checked after the source is read and before anything is
 * written: the tables on the target (pre-data), their rows (table data, as the work directory's journal records
 * it), the indexes a constraint is built on; and that post-data, which comes after them, did not run yet. The
 * first that is missing refuses the run in one line naming the step to run first. A whole copy makes every step,
 * so it needs none of this.
 */
final class StepPrerequisites {
    private StepPrerequisites() {
    }

    /** {@code source} once {@link #check} passed; its snapshot is released when it did not. */
    static SourceState checked(StepSelection selection, SourceState source) throws Exception {
        try {
            check(selection, source.context(), source.catalog(), source.plan());
            return source;
        } catch (Exception | Error e) {
            source.close();
            throw e;
        }
    }

    /**
     * @throws PgCopyException ({@link ErrorCode#STEP_PREREQUISITE_MISSING}) naming what is missing and the step that
     *     makes it
     */
    static void check(StepSelection selection, RunContext ctx, SourceCatalog catalog, CopyPlan plan)
            throws Exception {
        if (!selection.alone()) {
            return;
        }
        Optional<Problem> missing = Optional.empty();
        boolean usesTables = selection.runsData() || selection.runs(CopyStep.SEQUENCES)
                || selection.runs(CopyStep.POST_DATA);
        if (usesTables && !selection.runs(CopyStep.PRE_DATA)) {
            missing = missingTable(ctx, catalog);
        }
        boolean usesRows = selection.runs(CopyStep.INDEXES) || selection.runs(CopyStep.CONSTRAINTS)
                || selection.runs(CopyStep.VACUUM);
        if (missing.isEmpty() && usesRows && !selection.runs(CopyStep.TABLE_DATA)) {
            missing = rowsNotCopied(ctx.journal(), plan);
        }
        boolean writesData = selection.runs(CopyStep.TABLE_DATA) || selection.runs(CopyStep.INDEXES)
                || selection.runs(CopyStep.CONSTRAINTS);
        if (missing.isEmpty() && writesData && ctx.journal().isFinished(Kind.POST_DATA)) {
            // Its foreign keys keep COPY from emptying a table, and its indexes are there already.
            missing = Optional.of(Problem.of(ErrorCode.STEP_PREREQUISITE_MISSING, "post-data was restored with this "
                    + "work directory already (foreign keys, triggers, indexes): table data, indexes and constraints "
                    + "come before it", "start again on an empty target and a new work directory: the pre-data "
                    + "step, then the data steps, then post-data"));
        }
        if (missing.isEmpty() && selection.runs(CopyStep.CONSTRAINTS) && !selection.runs(CopyStep.INDEXES)) {
            missing = indexNotBuilt(ctx.journal(), catalog);
        }
        if (missing.isPresent()) {
            throw PgCopyException.builder(ErrorCode.STEP_PREREQUISITE_MISSING, missing.get().toString())
                    .problems(List.of(missing.get())).phase(Phase.CATALOG).build();
        }
    }

    /** The first table of the copy the target does not have. */
    private static Optional<Problem> missingTable(RunContext ctx, SourceCatalog catalog) throws Exception {
        List<SourceTable> tables = new ArrayList<>(catalog.tables());
        tables.addAll(catalog.schemaOnlyTables());
        try (Connection target = ctx.openTarget();
                PreparedStatement s = target.prepareStatement("SELECT pg_catalog.to_regclass(?) IS NOT NULL")) {
            for (SourceTable t : tables) {
                s.setString(1, t.name().quoted());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return Optional.of(problem("the target has no table " + t.name(), CopyStep.PRE_DATA));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The first table whose rows the work directory's journal does not record as copied. */
    private static Optional<Problem> rowsNotCopied(Journal journal, CopyPlan plan) {
        for (TablePart part : plan.parts()) {
            if (journal.partCopied(part.table().oid(), part.number()).isEmpty()) {
                return Optional.of(problem("the work directory records no copy of the rows of " + part.table().name(),
                        CopyStep.TABLE_DATA));
            }
        }
        return Optional.empty();
    }

    /** The first constraint built on an index that the journal does not record as built. */
    private static Optional<Problem> indexNotBuilt(Journal journal, SourceCatalog catalog) {
        for (IndexDefinition index : catalog.indexes()) {
            if (index.constraint().filter(c -> c.usesPrebuiltIndex()).isPresent()
                    && !journal.isFinished(Kind.INDEX, index.oid())) {
                return Optional.of(problem("the constraint " + index.constraint().get().name() + " on "
                        + index.table() + " needs the index " + index.name() + ", not built yet", CopyStep.INDEXES));
            }
        }
        return Optional.empty();
    }

    private static Problem problem(String message, CopyStep first) {
        return Problem.of(ErrorCode.STEP_PREREQUISITE_MISSING, message, "run the " + first.commandName() + " step "
                + "first (steps(" + first.name() + ")) with the same work directory");
    }
}
