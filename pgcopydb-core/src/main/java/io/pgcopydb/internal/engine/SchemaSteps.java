package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.CopyStep;
import io.pgcopydb.Phase;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.schema.DatabaseProperties;
import io.pgcopydb.internal.schema.DatabaseSettings;
import io.pgcopydb.internal.schema.DefaultSchemaDumper;
import io.pgcopydb.internal.schema.ExtensionConfigCopier;
import io.pgcopydb.internal.schema.RoleCopier;
import io.pgcopydb.internal.schema.SchemaRestorer;
import io.pgcopydb.internal.state.JournalEntry;
import io.pgcopydb.internal.state.JournalEntry.Kind;
import io.pgcopydb.stage.PostDataFilter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Steps 4 and 8 of {@link CopyEngine}, the schema around the data: roles, extensions and pre-data before it;
 * post-data and the database's properties after it. Each part runs when the {@link StepSelection} makes its
 * {@link CopyStep}; used by the run's main thread only.
 */
final class SchemaSteps {
    /** The schema archive's name in the work directory, which steps run alone share. */
    static final String ARCHIVE = DefaultSchemaDumper.ARCHIVE;
    /** The pre-data restore list (as the restore writes it too). */
    static final String PRE_DATA_LIST = "pre-data.list";
    /** The post-data restore list, before its passes (as the restore writes its first pass). */
    static final String POST_DATA_LIST = "post-data.list";

    private final StepRunner steps;
    private final StepSelection selection;
    private final CopyOptions options;

    SchemaSteps(StepRunner steps, StepSelection selection, CopyOptions options) {
        this.steps = steps;
        this.selection = selection;
        this.options = options;
    }

    /** Step 4: roles, extensions, pre-data; checks first what a skipped object needs. */
    void prepare(RunContext ctx, SchemaRestorer restorer, SourceState source) {
        boolean preData = selection.runs(CopyStep.PRE_DATA);
        boolean extensionsAlone = selection.alone() && selection.runs(CopyStep.EXTENSIONS);
        if (!preData && !extensionsAlone && !selection.roles()) {
            return;
        }
        steps.run(Phase.PREPARE_SCHEMA, () -> {
            // Reads only, so a missing extension or collation stops the copy before anything is written.
            if (preData || extensionsAlone) {
                restorer.checkPrerequisites();
            }
            if (selection.roles()) {
                RoleCopier.copy(ctx);
            }
            if (extensionsAlone) {
                JournalUnits.once(ctx.journal(), Kind.EXTENSIONS, "Extensions", () -> {
                    restorer.restoreExtensions();
                    if (!options.skipExtensions()) {
                        ExtensionConfigCopier.copy(ctx, source.filter());
                    }
                    return new JournalEntry.ExtensionsCreated();
                });
            }
            if (preData) {
                JournalUnits.once(ctx.journal(), Kind.PRE_DATA, "Pre-data", () -> {
                    // A resumed run whose pre-data did not finish replaces what the interrupted one restored.
                    restorer.restorePreData(source.catalog(), replacing());
                    // Run alone, the pre-data step leaves the extensions' configuration to the extensions step.
                    if (!options.skipExtensions() && !selection.alone()) {
                        ExtensionConfigCopier.copy(ctx, source.filter());
                    }
                    return new JournalEntry.PreDataRestored();
                });
            }
            return null;
        });
    }

    /**
     * Step 8: post-data minus what the engine built — in this run, or in earlier steps run alone on this work
     * directory, as its journal says — (event triggers last), then the database's comment, privileges and
     * settings, the run's last writes.
     */
    void finish(RunContext ctx, SchemaRestorer restorer, PostDataFilter.Built built, SourceState source) {
        if (!selection.runs(CopyStep.POST_DATA)) {
            return;
        }
        steps.run(Phase.FINALIZE_SCHEMA, () -> {
            JournalUnits.once(ctx.journal(), Kind.POST_DATA, "Post-data", () -> {
                // Resumed: what an interrupted post-data restore created is dropped and created again.
                restorer.restorePostData(options.postDataFilter(), withJournal(ctx, built), replacing());
                return new JournalEntry.PostDataRestored();
            });
            DatabaseProperties.apply(ctx, source.database());
            // Last: settings such as default_transaction_read_only or default_tablespace must not apply to our
            // own sessions while they build the copy.
            if (!options.skipDbProperties()) {
                DatabaseSettings.apply(ctx, source.settings());
            }
            return null;
        });
    }

    /**
     * A run of no step (a schema dump alone): writes the lists the pre- and post-data steps would restore now,
     * {@code pre-data.list} and {@code post-data.list}, skipped entries commented out, and with {@code roles()} the
     * roles' script {@code roles.sql}; restores nothing.
     */
    void writeLists(RunContext ctx, Path archive, SourceState source) throws Exception {
        if (selection.roles()) {
            RoleCopier.dumpOnly(ctx);                               // kept: the roles step replays it
        }
        SchemaRestorer restorer = new SchemaRestorer(ctx, archive, source.filter());
        Files.write(ctx.workDirectory().resolve(PRE_DATA_LIST), restorer.preDataList(), StandardCharsets.UTF_8);
        Files.write(ctx.workDirectory().resolve(POST_DATA_LIST), restorer.postDataList(options.postDataFilter(),
                withJournal(ctx, new PostDataFilter.Built(Set.of(), Set.of()))), StandardCharsets.UTF_8);
    }

    /** {@code built} and what the journal records as built by earlier runs on this work directory. */
    private static PostDataFilter.Built withJournal(RunContext ctx, PostDataFilter.Built built) {
        Set<Long> indexes = new HashSet<>(built.indexOids());
        Set<Long> constraints = new HashSet<>(built.constraintOids());
        indexes.addAll(ctx.journal().finishedOids(Kind.INDEX));
        constraints.addAll(ctx.journal().finishedOids(Kind.CONSTRAINT));
        return new PostDataFilter.Built(indexes, constraints);
    }

    /** dropIfExists, or a resumed run replacing what an interrupted pre- or post-data restore left. */
    boolean replacing() {
        return options.dropIfExists() || options.resume();
    }
}
