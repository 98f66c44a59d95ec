package io.pgcopydb.internal;

import io.pgcopydb.CopyExecution;
import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyBuilder;
import io.pgcopydb.CopyOptions;
import io.pgcopydb.FollowOptions;
import io.pgcopydb.CopyReport;
import io.pgcopydb.FollowReport;
import io.pgcopydb.InterruptedCopy;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.Ignore;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.filter.SourceListing;
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

    /** The default work directory of the pair {@code source} → {@code target}. */
    public static Path defaultWorkDirectory(ConnectionSpec source, ConnectionSpec target) {
        return WorkDirectory.defaultPath(source, target);
    }

    /** The interrupted copy in {@code workDirectory}, if there is one. */
    public static Optional<InterruptedCopy> interruptedCopy(Path workDirectory) {
        return WorkDirectory.interrupted(workDirectory);
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
