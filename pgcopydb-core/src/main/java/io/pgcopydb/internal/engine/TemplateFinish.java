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
import io.pgcopydb.internal.template.TemplateCopy;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.LoggerFactory;

/**
 * What a copy made by {@code CREATE DATABASE … TEMPLATE} still needs: the database's own properties, which live in
 * shared catalogs the server does not copy with the files (its comment, privileges, {@code ALTER DATABASE … SET}
 * and role-in-database settings), then step 9 with {@code verify()}. No work directory, journal or client tool.
 */
final class TemplateFinish {
    private TemplateFinish() {
    }

    /**
     * @param copy what the template copy did; its session, on the maintenance database of the server both databases
     *     are on, is where the properties are read and written, by the databases' names (shared catalogs), with no
     *     other session; closed here
     */
    static CopyReport.Status finish(Run run, StepRunner steps, TemplateCopy.Outcome copy) {
        CopyOptions options = run.options();
        // Options and warnings only: the template path has no work directory, tools or journal.
        RunContext ctx = new RunContext(run, null, null, null);
        try (Connection c = copy.session()) {
            steps.run(Phase.FINALIZE_SCHEMA, () -> {
                if (copy.plain()) {
                    return null;  // nothing of the kind on the source: the copy, made with none, is complete
                }
                DatabaseProperties.copyOnServer(ctx, c, copy.template(), options.target().database());
                DatabaseSettings.copyOnServer(ctx, c, copy.template(), options.target().database());
                return null;
            });
        } catch (SQLException e) {
            LoggerFactory.getLogger(TemplateFinish.class).debug("closing the maintenance session: {}", e.getMessage());
        }
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
