package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.CopyReport;
import io.pgcopydb.Phase;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.internal.run.Run;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.schema.DatabaseProperties;
import io.pgcopydb.internal.schema.DatabaseSettings;

/**
 * What a copy made by {@code CREATE DATABASE … TEMPLATE} still needs: the database's own properties, which live in
 * shared catalogs the server does not copy with the files (its comment, privileges, {@code ALTER DATABASE … SET}
 * and role-in-database settings), then step 9 with {@code verify()}. No work directory, journal or client tool.
 */
final class TemplateFinish {
    private TemplateFinish() {
    }

    static CopyReport.Status finish(Run run, StepRunner steps) {
        CopyOptions options = run.options();
        // openSource/openTarget and warnings only: the template path has no work directory, tools or journal.
        RunContext ctx = new RunContext(run, null, null, null);
        steps.run(Phase.FINALIZE_SCHEMA, () -> {
            DatabaseProperties.apply(ctx, DatabaseProperties.read(ctx));
            DatabaseSettings.apply(ctx, DatabaseSettings.read(ctx));
            return null;
        });
        if (options.verify()) {
            steps.run(Phase.VERIFY, () -> {
                CompareReport comparison = DatabaseCompare.of(options.source(), options.target()).all();
                run.report().verified(comparison);
                if (!comparison.isIdentical()) {
                    throw RunProblems.verifyFailed(comparison);
                }
                return null;
            });
        }
        return CopyReport.Status.SUCCEEDED;
    }
}
