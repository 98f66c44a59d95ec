package io.pgcopydb;

import static com.google.common.base.Preconditions.checkArgument;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.internal.Wiring;
import io.pgcopydb.stage.ConstraintAttacher;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.stage.IndexBuilder;
import io.pgcopydb.stage.PostDataFilter;
import io.pgcopydb.stage.SchemaDumper;
import io.pgcopydb.stage.TablePlanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The options of a copy from {@link DatabaseCopy#from(String)}{@code .to(…)}, then {@link #run()} or
 * {@link #start()}. Not thread-safe; each method validates its argument at once ({@link IllegalArgumentException})
 * and returns this builder.
 */
public final class CopyBuilder extends TuningOptions {

    CopyBuilder(ConnectionSpec source, ConnectionSpec target) {
        super(new OptionValues(source, target));
    }

    /**
     * Where the run keeps its journal of finished units ({@link #resume()} reads it), the schema dump, the
     * pg_restore lists and the tools' logs. Default: one directory per source/target pair under the system's
     * temporary directory ({@link CopyOptions#workDirectory()} tells which), removed after a successful run and
     * after a failure that wrote nothing, kept when the run can be resumed ({@link CopyReport#workDirectory()}).
     * A directory given here is never removed. Only one run may use a directory at a time. A relative path is taken
     * from the current directory now, as {@link Path#toAbsolutePath()} gives it.
     */
    public CopyBuilder workDirectory(Path workDirectory) {
        values.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory").toAbsolutePath();
        return this;
    }

    /**
     * The bin directory of the {@code pg_dump}/{@code pg_restore} to use, the only candidate (it wins over
     * {@code PG_CONFIG}). Default: {@code PG_CONFIG}'s when set, else the newest of {@code PATH} and
     * {@code /usr/lib/postgresql/*}{@code /bin} at least the source's major version; preflight logs which and why.
     *
     * @throws IllegalArgumentException when {@code binDir} holds no executable {@code pg_dump} and {@code pg_restore}
     */
    public CopyBuilder clientTools(Path binDir) {
        Objects.requireNonNull(binDir, "binDir");
        checkArgument(Files.isExecutable(binDir.resolve("pg_dump")) && Files.isExecutable(binDir.resolve(
                "pg_restore")), "clientTools must be a directory holding pg_dump and pg_restore, was %s", binDir);
        values.clientTools = binDir;
        return this;
    }

    /** Each source reader reads the data as it is when it starts: only for a source nobody writes to meanwhile. */
    public CopyBuilder notConsistent() {
        values.consistent = false;
        return this;
    }

    /** Skip {@code VACUUM ANALYZE} of the copied tables. */
    public CopyBuilder skipVacuum() {
        values.skipVacuum = true;
        return this;
    }

    /** Do not copy large objects' data (their metadata still comes with the schema). */
    public CopyBuilder skipLargeObjects() {
        values.skipLargeObjects = true;
        return this;
    }

    /**
     * Copies roles first ({@code pg_dumpall --roles-only}, replayed on the target; roles that already exist are
     * skipped with a warning, never altered). Needs a superuser on the source unless
     * {@link #noRolePasswords()} is also set. A whole copy's option: steps run alone name
     * {@link CopyStep#ROLES} instead, and a run of no step ({@link #onlySteps}) keeps the script.
     */
    public CopyBuilder roles() {
        values.roles = true;
        return this;
    }

    /** With {@link #roles()}: leave role passwords out ({@code pg_dumpall --no-role-passwords}). */
    public CopyBuilder noRolePasswords() {
        values.noRolePasswords = true;
        return this;
    }

    /** Objects are created owned by the target user ({@code pg_restore --no-owner}). */
    public CopyBuilder noOwner() {
        values.noOwner = true;
        return this;
    }

    /** No privileges are restored ({@code pg_restore --no-acl}). */
    public CopyBuilder noAcl() {
        values.noAcl = true;
        return this;
    }

    /** No comments are restored ({@code pg_restore --no-comments}). */
    public CopyBuilder noComments() {
        values.noComments = true;
        return this;
    }

    /** Extensions are not created (they must exist on the target) and their configuration tables not copied. */
    public CopyBuilder skipExtensions() {
        values.skipExtensions = true;
        return this;
    }

    /** {@code COMMENT ON EXTENSION} is not restored: it needs the extension's owner, often not you. */
    public CopyBuilder skipExtensionComments() {
        values.skipExtensionComments = true;
        return this;
    }

    /** Collations are not created; they must already exist on the target. */
    public CopyBuilder skipCollations() {
        values.skipCollations = true;
        return this;
    }

    /** {@code ALTER DATABASE … SET} and {@code ALTER ROLE … IN DATABASE … SET} are not copied. */
    public CopyBuilder skipDbProperties() {
        values.skipDbProperties = true;
        return this;
    }

    /**
     * The target may hold an older copy: the source's objects are dropped there first ({@code DROP … CASCADE} for
     * tables, {@code pg_restore --clean --if-exists}, large objects unlinked); the target's other objects stay.
     */
    public CopyBuilder dropIfExists() {
        values.dropIfExists = true;
        return this;
    }

    /**
     * How the copy is made: {@link Strategy#AUTO} (the default) takes the server's own file copy
     * ({@code CREATE DATABASE target TEMPLATE source}) when source and target are on the same server and nothing
     * asked stands against it, else streams; {@link Strategy#TEMPLATE} insists (one-line refusal when it cannot),
     * {@link Strategy#STREAM} always streams. {@link CopyReport#strategy()} says which ran and why. Whatever the
     * strategy, a target database that does not exist is created, with the source's encoding, locale and owner
     * where the target's server allows.
     *
     * @throws IllegalArgumentException from {@link #options()} when {@code TEMPLATE} is combined with an option the
     *     file copy cannot honour (a filter, {@code noOwner()} …)
     */
    public CopyBuilder strategy(Strategy strategy) {
        values.strategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * Lets the template path end the source database's other sessions ({@code pg_terminate_backend}) instead of
     * streaming ({@code AUTO}) or refusing ({@code TEMPLATE}) when it finds some: for a fixture nobody else should
     * be using. Never done unless asked.
     */
    public CopyBuilder terminateSourceSessions() {
        values.terminateSourceSessions = true;
        return this;
    }

    /**
     * Copy only what {@code filters} select (pgcopydb's filter sections): tables, pre- and post-data, indexes,
     * sequences, materialized-view refreshes and extension configuration all follow the same selection. It is
     * checked against the source before anything is written: an error there (an exact include-only name matching
     * nothing, a foreign key that could not be validated) stops the copy. Default {@link Filters#none()}.
     */
    public CopyBuilder filter(Filters filters) {
        values.filters = Objects.requireNonNull(filters, "filters");
        return this;
    }

    /**
     * Foreign keys referencing rows the filter does not copy ({@code excludeTableData}, partly copied partitions)
     * are created {@code NOT VALID} after post-data, instead of the copy being refused before it starts.
     */
    public CopyBuilder foreignKeysNotValid() {
        values.foreignKeysNotValid = true;
        return this;
    }

    /**
     * Runs only these steps, as pgcopydb's {@code copy <step>} commands do: see {@link CopyStep} for what a step
     * run alone uses of its work directory (give one with {@link #workDirectory(Path)}; the pair's default one is
     * kept too). The steps run in {@link CopyStep}'s order whatever the order given here.
     *
     * @throws NullPointerException if a step is null
     */
    public CopyBuilder steps(CopyStep first, CopyStep... more) {
        values.steps = java.util.EnumSet.of(first, more);
        return this;
    }

    /**
     * As {@link #steps(CopyStep, CopyStep...)} with a set. An empty set runs no step: the source is read, its schema
     * dumped into the work directory ({@code schema.dump}, what pgcopydb's {@code dump schema} does; a dump already
     * there is kept), and the lists the pre- and post-data steps would restore now are written beside it
     * ({@code pre-data.list}, {@code post-data.list}, skipped entries commented out with {@code ;}, as pgcopydb's
     * {@code restore parse-list} shows them); with {@link #roles()}, the roles' script too ({@code roles.sql},
     * readable by its owner only), which the {@link CopyStep#ROLES} step run alone then replays; nothing is written
     * to the target.
     */
    public CopyBuilder onlySteps(java.util.Set<CopyStep> steps) {
        Objects.requireNonNull(steps, "steps");
        values.steps = steps.isEmpty() ? java.util.EnumSet.noneOf(CopyStep.class) : java.util.EnumSet.copyOf(steps);
        return this;
    }

    /**
     * After the copy, compares the target with the source — the schema from both catalogs, the data by row count
     * and checksum read in the copy's snapshot, within the same filter ({@code DatabaseCompare}) — and fails the
     * run with {@link ErrorCode#VERIFY_FAILED} when anything differs: never a silent success. The comparison is in
     * {@link CopyReport#verification()}. Costs about a read of both databases.
     */
    public CopyBuilder verify() {
        values.verify = true;
        return this;
    }

    /**
     * Keeps scheduling work after a failure: the other tables are still copied, indexed and vacuumed, sequences set
     * and large objects copied. When anything of the data step failed, post-data (foreign keys, triggers,
     * materialized views' data, …), the database's settings and {@link #verify()} are left to the resumed run, once
     * every table is copied — a foreign key over missing rows would keep it from emptying a table it copies again;
     * a warning in {@link CopyReport#warnings()} says so. The run still ends failed, listing every failure, with how
     * to continue ({@link #resume()}, {@link #notConsistent()}). Without it, new work stops at the first failure.
     */
    public CopyBuilder continueOnError() {
        values.continueOnError = true;
        return this;
    }

    /**
     * Continues the interrupted copy recorded in the work directory (the pair's default one, or
     * {@link #workDirectory(Path)}): units its journal lists as finished are skipped — tables, table parts,
     * indexes, constraints, vacuums, pre- and post-data, large objects — and interrupted ones are redone without
     * touching finished data (a whole table is truncated and copied again in one transaction; a part of a split
     * table deletes its own range first). The interrupted run's snapshot died with it, so a resume needs
     * {@link #notConsistent()} or {@link #snapshot(String)}; preflight says so otherwise.
     */
    public CopyBuilder resume() {
        values.resume = true;
        return this;
    }

    /**
     * The interrupted copy this builder's work directory holds (the pair's default one, or
     * {@link #workDirectory(Path)}), if there is one: what {@link #resume()} would continue. Reads the journal
     * only; changes and locks nothing.
     *
     * <pre>{@code
     * CopyBuilder copy = DatabaseCopy.from(src).to(tgt);
     * if (copy.interruptedCopy().isPresent()) {
     *     copy.resume().notConsistent();
     * }
     * CopyReport report = copy.run();
     * }</pre>
     */
    public Optional<InterruptedCopy> interruptedCopy() {
        Path dir = values.workDirectory != null ? values.workDirectory
                : Wiring.defaultWorkDirectory(values.source, values.target);
        return Wiring.interruptedCopy(dir);
    }

    /**
     * Starts over although the work directory holds an earlier copy: its journal is discarded. The target is
     * checked as for any copy: add {@link #dropIfExists()} to replace what the earlier run wrote there.
     */
    public CopyBuilder restart() {
        values.restart = true;
        return this;
    }

    /**
     * Reads the source in a snapshot exported by a session the caller holds open ({@code SELECT
     * pg_export_snapshot()}, or pgcopydb's {@code snapshot} command) instead of exporting one: several runs — a
     * resumed one, say — then copy the same instant. Sequences are not transactional, so their values are the
     * ones the run reads when it starts (never lower than what the copied rows used).
     */
    public CopyBuilder snapshot(String snapshotId) {
        Objects.requireNonNull(snapshotId, "snapshotId");
        checkArgument(snapshotId.matches("[0-9A-Fa-f]+-[0-9A-Fa-f]+(-[0-9]+)?"),
                "snapshot must look like 00000003-0000001B-1 (pg_export_snapshot()), was %s", snapshotId);
        values.snapshot = snapshotId;
        return this;
    }

    /** Adds an observer; listeners are called in the order they were added. */
    public CopyBuilder listener(CopyListener listener) {
        values.listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Replaces the schema dump stage. */
    public CopyBuilder schemaDumper(SchemaDumper schemaDumper) {
        values.schemaDumper = Objects.requireNonNull(schemaDumper, "schemaDumper");
        return this;
    }

    /** Replaces the planning stage. */
    public CopyBuilder tablePlanner(TablePlanner tablePlanner) {
        values.tablePlanner = Objects.requireNonNull(tablePlanner, "tablePlanner");
        return this;
    }

    /** Replaces the COPY stage. */
    public CopyBuilder copyStreamer(CopyStreamer copyStreamer) {
        values.copyStreamer = Objects.requireNonNull(copyStreamer, "copyStreamer");
        return this;
    }

    /** Replaces (or, by delegating to {@link IndexBuilder#standard()}, wraps) the index stage. */
    public CopyBuilder indexBuilder(IndexBuilder indexBuilder) {
        values.indexBuilder = Objects.requireNonNull(indexBuilder, "indexBuilder");
        return this;
    }

    /** Replaces the constraint stage. */
    public CopyBuilder constraintAttacher(ConstraintAttacher constraintAttacher) {
        values.constraintAttacher = Objects.requireNonNull(constraintAttacher, "constraintAttacher");
        return this;
    }

    /** Replaces the post-data filter stage. */
    public CopyBuilder postDataFilter(PostDataFilter postDataFilter) {
        values.postDataFilter = Objects.requireNonNull(postDataFilter, "postDataFilter");
        return this;
    }

    /**
     * pgcopydb's {@code clone --follow}: a {@link FollowBuilder} whose {@link FollowBuilder#run()} sets up a
     * replication slot, runs this copy in the slot's exported snapshot while the changes made meanwhile are
     * received, then applies them and the later ones until the endpos. The copy's filter says what is published;
     * its options are the ones set on this builder when the follow runs.
     */
    public FollowBuilder follow() {
        return new FollowBuilder(values.source, values.target, Optional.of(this));
    }

    /**
     * Freezes the current values.
     *
     * @throws IllegalArgumentException when options contradict each other
     */
    public CopyOptions options() {
        List<CopyListener> listeners = values.listeners;
        CopyListener listener = listeners.isEmpty() ? CopyListener.NONE
                : listeners.size() == 1 ? listeners.get(0) : Wiring.composite(listeners);
        return new CopyOptions(values, listener);
    }

    /**
     * Runs the copy and waits for it.
     *
     * @return the report of a successful copy
     * @throws PgCopyException when anything failed, with the partial report attached
     */
    public CopyReport run() {
        return start().await();
    }

    /** Starts the copy in the background and returns a handle to cancel or await it. */
    public CopyExecution start() {
        return Wiring.start(options());
    }
}
