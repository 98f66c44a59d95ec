package io.pgcopydb.internal.schema;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.internal.filter.FilterPlan;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.TocLine;
import io.pgcopydb.internal.postgres.ToolRunner;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.Side;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.stage.PostDataFilter;
import io.pgcopydb.stage.ToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores the archive's pre-data and post-data sections with {@code pg_restore --use-list}, the lists written
 * to the work directory so a person can see exactly what was restored. The pre-data list follows
 * {@link PreDataList}; {@code noOwner}, {@code noAcl} and {@code noComments} become pg_restore's options for both
 * sections (they cover large objects too: their owner, ACL and comment are pre-data entries up to PostgreSQL 16);
 * {@code dropIfExists} first drops the source's tables on the target ({@link TargetCleaner}), then restores with
 * {@code --clean --if-exists}, so each other object of the archive is dropped and recreated while the objects the
 * archive does not hold are left alone. One instance per run, used by one thread at a time.
 */
public final class SchemaRestorer {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRestorer.class);
    private final RunContext context;
    private final Path archive;
    private final Optional<FilterPlan> filter;
    private List<String> toc;
    private RestoreWork work;
    private PreDataList.Source source;
    private boolean prerequisitesChecked;

    /** Restores {@code archive} into the target, filtered by {@code filter} when the copy has one. */
    public SchemaRestorer(RunContext context, Path archive, Optional<FilterPlan> filter) {
        this(context, archive, filter, Optional.empty());
    }

    /** As above, with the archive's table of contents when {@link #list} already read it. */
    public SchemaRestorer(RunContext context, Path archive, Optional<FilterPlan> filter, Optional<List<String>> toc) {
        this.context = context;
        this.archive = archive;
        this.filter = filter;
        this.toc = toc.orElse(null);
    }

    /**
     * Reads only: with {@code skipExtensions} / {@code skipCollations}, checks that the target has every
     * extension and collation the restore will not create.
     *
     * @throws io.pgcopydb.PgCopyException naming what is missing and the remedy
     */
    public void checkPrerequisites() throws Exception {
        PreDataList.Rules rules = PreDataList.Rules.of(context.options());
        List<PreDataList.Extension> extensions = PreDataList.skippedExtensions(toc(), rules, source());
        List<PreDataList.Collation> collations = PreDataList.skippedCollations(toc(), rules, source());
        if (!extensions.isEmpty() || !collations.isEmpty()) {
            try (Connection target = context.openTarget()) {
                TargetPrerequisites.check(target, extensions, collations);
            }
        }
        prerequisitesChecked = true;
    }

    /**
     * Pre-data, minus schemas that already exist on the target (emulating CREATE SCHEMA IF NOT EXISTS) — except
     * {@code public}: pg_dump never writes {@code CREATE SCHEMA public}, its entry only carries the owner, ACL and
     * comment, and skipping it would leave the target's {@code public} with the wrong owner (pgcopydb's bug) —
     * and minus what the options skip. With {@code dropIfExists}, the source's tables are dropped first. The
     * entries pg_restore would restore wrongly are restored by {@link PreDataReplacements} at their place.
     */
    public void restorePreData(SourceCatalog catalog, boolean replace) throws Exception {
        if (!prerequisitesChecked) {
            checkPrerequisites();
        }
        List<String> list = preDataList();
        if (replace) {
            TargetCleaner.dropSourceTables(context, filter, restoreDrops(list));
        }
        PreDataReplacements replacements = PreDataReplacements.find(context, archive, list);
        if (replacements.isEmpty()) {
            restore("pre-data", "pre-data", list, replace);
        } else {
            replacements.restore(list, replace, (name, segment) -> restore("pre-data", name, segment, false));
        }
    }

    /**
     * The pre-data list {@link #restorePreData} restores (before it splits it around replaced entries): the archive's
     * entries, those it skips commented out. Reads only.
     */
    public List<String> preDataList() throws Exception {
        List<String> list = PreDataList.filter(toc(), PreDataList.Rules.of(context.options()), source(),
                existingTargetSchemas());
        return filter.isPresent() ? filter.get().apply(list) : list;
    }

    /**
     * The post-data list {@link #restorePostData} restores (before it splits it in passes): the archive's entries,
     * those that {@code stage} and the filter skip commented out. Reads only.
     */
    public List<String> postDataList(PostDataFilter stage, PostDataFilter.Built built) throws Exception {
        List<String> list = stage.filter(toc(), built);
        // After the stage, so its contract is unchanged: what the filter leaves out is never restored.
        return filter.isPresent() ? filter.get().apply(list) : list;
    }

    /**
     * The extensions step run alone: of the pre-data list, only the extensions, their comments and their schemas
     * ({@link PreDataList#extensionsOnly}); pg_dump's {@code CREATE EXTENSION IF NOT EXISTS} lets the pre-data step
     * restore them again harmlessly, and skips the schemas that exist by then.
     */
    public void restoreExtensions() throws Exception {
        if (!prerequisitesChecked) {
            checkPrerequisites();
        }
        List<String> list = PreDataList.extensionsOnly(preDataList(), source());
        PreDataReplacements replacements = PreDataReplacements.find(context, archive, list);
        if (replacements.isEmpty()) {
            restore("pre-data", "extensions", list, false);
        } else {
            replacements.restore(list, false, (name, segment) -> restore("pre-data", "extensions-" + name, segment,
                    false));
        }
    }

    /**
     * The statements {@code --clean --if-exists} runs before restoring {@code list}; none when they cannot be told
     * apart, and pg_restore then drops them itself, as it always did.
     */
    private List<String> restoreDrops(List<String> list) throws Exception {
        try {
            return new RestoreScript(context, archive).drops(list);
        } catch (IllegalStateException e) {
            LOG.warn("pre-data: {}; pg_restore --clean drops the objects itself", e.getMessage());
            return List.of();
        }
    }

    /**
     * Post-data, filtered by the {@link PostDataFilter} stage, in four passes ({@link Pass}): everything but partition
     * index attachments, foreign keys and event triggers; then the {@code ALTER INDEX … ATTACH PARTITION}s one after
     * the other (with pg_restore's jobs side by side, a copy once left the every-kind fixture's two-level partitioned
     * index invalid on the target though every partition's index was attached: each attach re-checks the parent's
     * validity against the others' state); then the foreign keys (and comments on constraints), then the event
     * triggers. pg_restore's parallel scheduler does not know that {@code ALTER INDEX … ATTACH PARTITION} and
     * {@code ADD FOREIGN KEY … REFERENCES} a partitioned table lock the same relations in opposite orders, and run side
     * by side they deadlock. An event trigger restored before the copy's own later DDL (the foreign keys, the
     * materialized views' refresh, a GRANT) would fire on it — writing to its tables or refusing it — so it comes last,
     * after every other statement of the copy. With {@code replace}, the source's event triggers are first dropped from
     * the target, so the drops of {@code --clean} do not fire them. A resumed run replaces what the interrupted one
     * restored, but keeps the partitioned tables' indexes it finds ({@link PartitionedIndexes}).
     */
    public void restorePostData(PostDataFilter stage, PostDataFilter.Built built, boolean replace) throws Exception {
        List<String> list = postDataList(stage, built);
        Optional<FilterPlan> plan = filter;
        if (replace) {
            TargetCleaner.dropSourceEventTriggers(context);
        }
        if (replace && context.options().resume()) {
            list = PartitionedIndexes.keepExisting(context, list);
        }
        restore("post-data", "post-data", pass(list, Pass.MAIN), replace);
        restoreIfAny(list, Pass.INDEX_ATTACHES, replace);
        // Before the foreign-key pass, so comments on these constraints find them.
        if (plan.isPresent() && !plan.get().notValidStatements().isEmpty()) {
            try (Connection target = context.openTarget()) {
                for (String sql : plan.get().notValidStatements()) {
                    LOG.debug("{};", sql);
                    try {
                        Sessions.execute(target, sql);
                    } catch (java.sql.SQLException e) {
                        // 42710 duplicate_object: created by the interrupted run this one resumes.
                        if (!(replace && "42710".equals(e.getSQLState()))) {
                            throw e;
                        }
                        LOG.debug("already there (resumed run): {}", sql);
                    }
                }
            }
        }
        restoreIfAny(list, Pass.FOREIGN_KEYS, replace);
        restoreIfAny(list, Pass.EVENT_TRIGGERS, replace);
    }

    /** The entries of {@code list} that {@code later} restores, when it has any; its own jobs. */
    private void restoreIfAny(List<String> list, Pass later, boolean replace) throws Exception {
        List<String> entries = pass(list, later);
        if (work().restoresPostData(entries)) {
            restore("post-data", later.listName, entries, replace,
                    later.oneAtATime ? 1 : context.options().restoreJobs());
        }
    }

    /** The post-data restore's passes, in their order, and the list file each writes. */
    enum Pass {
        MAIN("post-data", false), INDEX_ATTACHES("post-data-attach", true), FOREIGN_KEYS("post-data-fk", false),
        EVENT_TRIGGERS("post-data-event-triggers", false);

        private final String listName;
        /** Restored with one pg_restore job (see {@link #restorePostData}). */
        private final boolean oneAtATime;

        Pass(String listName, boolean oneAtATime) {
            this.listName = listName;
            this.oneAtATime = oneAtATime;
        }

        /** The pass that restores {@code e}. */
        static Pass of(TocLine e) {
            boolean attached = e.is("COMMENT") || e.rest().startsWith("SECURITY LABEL ");
            // An event trigger has no schema: its comment is "COMMENT - EVENT TRIGGER name owner".
            if (e.is("EVENT TRIGGER") || e.rest().startsWith("COMMENT - EVENT TRIGGER ")
                    || e.rest().startsWith("SECURITY LABEL - EVENT TRIGGER ")) {
                return EVENT_TRIGGERS;
            }
            if (e.is("FK CONSTRAINT") || attached && e.rest().contains(" CONSTRAINT ")) {
                return FOREIGN_KEYS;
            }
            if (e.is("INDEX ATTACH")) {
                return INDEX_ATTACHES;
            }
            return MAIN;
        }
    }

    /** {@code list} with every entry that {@code pass} does not restore commented out. */
    static List<String> pass(List<String> list, Pass pass) {
        return list.stream().map(line -> TocLine.parse(line).filter(e -> Pass.of(e) != pass)
                .map(e -> ";" + line).orElse(line)).toList();
    }

    private List<String> toc() throws Exception {
        if (toc == null) {
            toc = list(context, archive);
        }
        return toc;
    }

    private RestoreWork work() throws Exception {
        if (work == null) {
            work = RestoreWork.of(toc());
        }
        return work;
    }

    /**
     * The table of contents of {@code archive} ({@code pg_restore --list --verbose}: each entry's dependencies
     * come as comment lines, which the filter follows).
     *
     * @throws IllegalStateException when pg_restore fails, with the end of what it printed
     */
    public static List<String> list(RunContext context, Path archive) throws Exception {
        ToolResult r = context.runClientTool("pg_restore", List.of("--list", "--verbose", archive.toString()),
                Side.TARGET, "pg_restore-list.log");
        if (!r.succeeded()) {
            throw new IllegalStateException("pg_restore --list failed: " + ToolRunner.tail(r.output(), 5));
        }
        return r.output().lines().toList();
    }

    private PreDataList.Source source() throws Exception {
        if (source == null) {
            try (Connection c = context.openSource()) {
                source = PreDataList.Source.read(c);
            }
        }
        return source;
    }

    /** Runs pg_restore on {@code list}; {@code clean} adds {@code --clean --if-exists} (dropIfExists, resume). */
    private void restore(String section, String name, List<String> list, boolean clean) throws Exception {
        restore(section, name, list, clean, context.options().restoreJobs());
    }

    private void restore(String section, String name, List<String> list, boolean clean, int jobs) throws Exception {
        Path listFile = context.workDirectory().resolve(name + ".list");
        Files.write(listFile, list, StandardCharsets.UTF_8);
        if (section.equals("post-data") && !work().restoresPostData(list)) {
            LOG.debug("{}: nothing for pg_restore to restore", listFile.getFileName());
            return;
        }
        int processes = section.equals("pre-data") ? RestoreWork.preDataJobs(list, jobs)
                : work().postDataJobs(list, jobs);
        List<String> args = new ArrayList<>(List.of("--section=" + section,
                "--jobs=" + processes, "--exit-on-error", "--no-password"));
        args.addAll(options(context.options(), clean));
        args.addAll(List.of("--use-list=" + listFile, "--dbname=" + context.databaseArgument(Side.TARGET),
                archive.toString()));
        ToolResult r = context.runClientTool("pg_restore", args, Side.TARGET, "pg_restore-" + name + ".log");
        if (!r.succeeded()) {
            throw new IllegalStateException("pg_restore --section=" + section + " failed (exit " + r.exitCode()
                    + "): " + ToolRunner.tail(r.output(), 5));
        }
    }

    /** pg_restore's options for what the copy was asked to leave out or replace. */
    static List<String> options(CopyOptions options, boolean clean) {
        List<String> args = new ArrayList<>();
        if (options.noOwner()) {
            args.add("--no-owner");
        }
        if (options.noAcl()) {
            args.add("--no-acl");
        }
        if (options.noComments()) {
            args.add("--no-comments");
        }
        if (clean) {
            args.add("--clean");
            args.add("--if-exists");
        }
        return args;
    }

    private Set<String> existingTargetSchemas() throws Exception {
        Set<String> names = new HashSet<>();
        try (Connection c = context.openTarget(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT nspname FROM pg_catalog.pg_namespace")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
