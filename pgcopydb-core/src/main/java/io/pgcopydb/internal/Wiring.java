package io.pgcopydb.internal;

import io.pgcopydb.ClientTools;
import io.pgcopydb.CopyExecution;
import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyBuilder;
import io.pgcopydb.CopyOptions;
import io.pgcopydb.FollowOptions;
import io.pgcopydb.CopyReport;
import io.pgcopydb.FollowReport;
import io.pgcopydb.InterruptedCopy;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.ServerPing;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.Ignore;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.filter.ListedCollation;
import io.pgcopydb.filter.ListedDatabase;
import io.pgcopydb.filter.ListedDependency;
import io.pgcopydb.filter.ListedExtension;
import io.pgcopydb.filter.SourceListing;
import io.pgcopydb.internal.catalog.ServerCatalog;
import io.pgcopydb.internal.data.TablePartsLister;
import io.pgcopydb.internal.postgres.PgTools;
import io.pgcopydb.internal.postgres.ServerProbe;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.Side;
import io.pgcopydb.model.SplitSettings;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.internal.compare.CompareRequest;
import io.pgcopydb.internal.compare.Comparison;
import io.pgcopydb.internal.data.DefaultConstraintAttacher;
import io.pgcopydb.internal.data.DefaultCopyStreamer;
import io.pgcopydb.internal.data.DefaultIndexBuilder;
import io.pgcopydb.internal.data.DefaultTablePlanner;
import io.pgcopydb.internal.engine.CopyEngine;
import io.pgcopydb.internal.filter.SourceLister;
import io.pgcopydb.internal.follow.FollowCommands;
import io.pgcopydb.internal.follow.FollowDirectory;
import io.pgcopydb.internal.follow.FollowNames;
import io.pgcopydb.internal.follow.FollowRequest;
import io.pgcopydb.internal.follow.FollowRun;
import io.pgcopydb.internal.follow.Lsn;
import io.pgcopydb.internal.run.JsonText;
import io.pgcopydb.internal.run.Listeners;
import io.pgcopydb.internal.schema.DefaultPostDataFilter;
import io.pgcopydb.internal.schema.DefaultSchemaDumper;
import io.pgcopydb.internal.state.WorkDirectory;
import io.pgcopydb.stage.ConstraintAttacher;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.stage.IndexBuilder;
import io.pgcopydb.stage.PostDataFilter;
import io.pgcopydb.stage.SchemaDumper;
import io.pgcopydb.stage.TablePlanner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * The one place public packages reach into the engine: the standard stage implementations and the engine
 * itself. Not API.
 */
public final class Wiring {
    private Wiring() {
    }

    /** The standard {@link SchemaDumper}. */
    public static SchemaDumper schemaDumper() {
        return new DefaultSchemaDumper();
    }

    /** The standard {@link TablePlanner}. */
    public static TablePlanner tablePlanner() {
        return new DefaultTablePlanner();
    }

    /** The standard {@link CopyStreamer}. */
    public static CopyStreamer copyStreamer() {
        return new DefaultCopyStreamer();
    }

    /** The standard {@link IndexBuilder}. */
    public static IndexBuilder indexBuilder() {
        return new DefaultIndexBuilder();
    }

    /** The standard {@link ConstraintAttacher}. */
    public static ConstraintAttacher constraintAttacher() {
        return new DefaultConstraintAttacher();
    }

    /** The standard {@link PostDataFilter}. */
    public static PostDataFilter postDataFilter() {
        return new DefaultPostDataFilter();
    }

    /** A listener forwarding every event to each of {@code listeners}, in order. */
    public static CopyListener composite(List<CopyListener> listeners) {
        return Listeners.composite(listeners);
    }

    /** Resolves {@code filters} against {@code source} without copying. */
    public static SourceListing list(ConnectionSpec source, Filters filters) {
        return SourceLister.list(source, filters);
    }

    /** The source server's databases ({@code list databases}). */
    public static List<ListedDatabase> databases(ConnectionSpec source) {
        return SourceLister.read(source, ServerCatalog::databases);
    }

    /** The source database's extensions ({@code list extensions}). */
    public static List<ListedExtension> extensions(ConnectionSpec source) {
        return SourceLister.read(source, ServerCatalog::extensions);
    }

    /** The collations the source database uses ({@code list collations}). */
    public static List<ListedCollation> collations(ConnectionSpec source) {
        return SourceLister.read(source, ServerCatalog::collations);
    }

    /** What a copy with {@code filters} leaves out for depending on what they skip ({@code list depends}). */
    public static List<ListedDependency> dependencies(ConnectionSpec source, Filters filters) {
        return SourceLister.dependencies(source, filters);
    }

    /** How the standard planner cuts {@code table} ({@code list table-parts}). */
    public static List<TablePart> tableParts(ConnectionSpec source, QualifiedName table, SplitSettings split) {
        return TablePartsLister.parts(source, table, split);
    }

    /** Connects to {@code server} and times it ({@code ping}). */
    public static ServerPing ping(ConnectionSpec server, Side side) {
        ServerProbe.Pong p = ServerProbe.ping(server, side);
        return new ServerPing(p.version(), p.versionNumber(), p.connect(), p.roundTrip());
    }

    /**
     * Exports a snapshot of {@code source} and holds it ({@code snapshot}): the session holding it, and its id. A
     * pair, not a type of this class, so that the public class only ever touches this class.
     */
    public static Map.Entry<java.sql.Connection, String> exportSnapshot(ConnectionSpec source) {
        ServerProbe.Exported e = ServerProbe.exportSnapshot(source);
        return Map.entry(e.connection(), e.id());
    }

    /** The client tools a copy from a source of {@code sourceMajor} would use. */
    public static ClientTools clientTools(int sourceMajor, Optional<Path> directory) {
        try {
            PgTools tools = PgTools.locate(sourceMajor, directory, System.getenv());
            return new ClientTools(tools.version(), tools.binDirectory(), tools.reason());
        } catch (PgTools.Unavailable e) {
            throw PgCopyException.builder(e.problem().code(), e.problem().toString()).problem(e.problem()).build();
        }
    }

    /** The default work directory of the pair {@code source} → {@code target}. */
    public static Path defaultWorkDirectory(ConnectionSpec source, ConnectionSpec target) {
        return WorkDirectory.defaultPath(source, target);
    }

    /** The interrupted copy in {@code workDirectory}, if there is one. */
    public static Optional<InterruptedCopy> interruptedCopy(Path workDirectory) {
        return WorkDirectory.interrupted(workDirectory);
    }

    /** The status of the copy in {@code workDirectory}, read without changing anything. */
    public static io.pgcopydb.WorkDirectoryStatus workDirectoryStatus(Path workDirectory) {
        return io.pgcopydb.internal.state.StatusReader.read(workDirectory);
    }

    /** Compares two databases, the schema and/or the data. */
    public static CompareReport compare(ConnectionSpec source, ConnectionSpec target, Filters filters,
            Set<Ignore> ignored, int jobs, Optional<Path> clientTools, boolean schema, boolean data) {
        return Comparison.run(new CompareRequest(source, target, filters, ignored, jobs, schema, data,
                Optional.empty(), Optional.empty(), clientTools));
    }

    /** Starts a copy in the background. */
    public static CopyExecution start(CopyOptions options) {
        return CopyEngine.start(options);
    }

    /** {@code s} as a JSON string, for the reports' {@code toJson()}. */
    public static String jsonString(String s) {
        return JsonText.quote(s);
    }

    private static FollowRequest request(FollowOptions o, Optional<CopyBuilder> copy) {
        Optional<Function<String, CopyReport>> run = copy.map(c -> id -> c.snapshot(id).run());
        return new FollowRequest(o.source(), o.target(), o.directory(), new FollowNames(o.slotName(),
                o.publication(), o.origin()), o.filters(), o.endpos(), o.resume(), o.changeLogSegmentBytes(),
                o.maxChangeLogBytes(), run, o.listener());
    }

    /** The follow's directory for a work directory, or the pair's default. */
    public static Path followDirectory(Optional<Path> workDirectory, ConnectionSpec source, ConnectionSpec target) {
        return FollowDirectory.pathFor(workDirectory, source, target);
    }

    /** Runs a follow. */
    public static FollowReport follow(FollowOptions options, Optional<CopyBuilder> copy) {
        return FollowRun.run(request(options, copy));
    }

    /** {@code stream setup}. */
    public static void followSetup(FollowOptions options) {
        FollowCommands.setup(request(options, Optional.empty()));
    }

    /** {@code stream cleanup}. */
    public static List<String> followCleanup(FollowOptions options) {
        return FollowCommands.cleanup(request(options, Optional.empty()));
    }

    /** {@code stream sentinel set endpos}. */
    public static void followSetEndpos(Path directory, long lsn) {
        FollowCommands.setEndpos(directory, lsn);
    }

    /** {@code stream sentinel get}. */
    public static Optional<String> followEndpos(Path directory) {
        OptionalLong endpos = FollowCommands.endpos(directory);
        return endpos.isPresent() ? Optional.of(Lsn.format(endpos.getAsLong())) : Optional.empty();
    }

    /** The source's current WAL position, {@code X/Y}. */
    public static String currentLsn(ConnectionSpec source) {
        return Lsn.format(FollowCommands.currentLsn(source));
    }
}
