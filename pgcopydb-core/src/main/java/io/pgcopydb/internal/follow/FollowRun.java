package io.pgcopydb.internal.follow;

import io.pgcopydb.CopyReport;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.FollowReport;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.Problem;
import io.pgcopydb.filter.ListedObject;
import io.pgcopydb.filter.SourceListing;
import io.pgcopydb.internal.filter.SourceLister;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follow from start to end, on one screen: preflight → setup (publication, slot exporting its snapshot, origin)
 * → the copy in that snapshot while the receiver fills the change log → apply until endpos → sequences → cleanup.
 * A resumed follow skips the setup and a finished copy: the receiver continues from the slot's confirmed position,
 * the applier from the origin's progress.
 */
public final class FollowRun {
    private static final Logger LOG = LoggerFactory.getLogger(FollowRun.class);

    private final FollowRequest request;
    private final ChangeApplier.Factory appliers;
    /** The endpos the apply stopped at (asked, or the sentinel's), read before the sentinel is cleared. */
    private long endposReached = Long.MAX_VALUE;
    private final long started = System.nanoTime();

    private FollowRun(FollowRequest request, ChangeApplier.Factory appliers) {
        this.request = request;
        this.appliers = appliers;
    }

    /**
     * Runs the follow.
     *
     * @throws PgCopyException with typed problems when preflight refuses, the copy fails, or receiving or applying
     *     fails (the slot, publication and origin then stay, for {@code resume()})
     */
    public static FollowReport run(FollowRequest request) {
        return run(request, ChangeApplier::pgOutput);
    }

    /** Runs the follow with the appliers {@code appliers} makes (a test's stand-in). */
    static FollowReport run(FollowRequest request, ChangeApplier.Factory appliers) {
        return new FollowRun(request, appliers).run();
    }

    private FollowReport run() {
        FollowDirectory dir = FollowDirectory.lock(request.directory()).orElseThrow(() -> refused(List.of(Problem.of(
                ErrorCode.WORK_DIRECTORY_IN_USE, "the follow's directory " + request.directory() + " is in use by "
                        + "another follow", "wait for it to end, or give another workDirectory(path)"))));
        try (dir) {
            reachable(request.target());
            SourceListing listing = SourceLister.list(request.source(), request.filters());
            List<Problem> problems = new ArrayList<>();
            listing.errors().forEach(e -> problems.add(Problem.of(ErrorCode.FILTER_REFUSED, e, "change the filter")));
            ReplicationObjects existing = ReplicationObjects.find(request.source(), request.target(),
                    request.names());
            // A follower killed a moment ago: its walsender notices the closed socket within a few seconds.
            for (int i = 0; i < 50 && request.resume() && existing.slotActive(); i++) {
                Thread.sleep(200);
                existing = ReplicationObjects.find(request.source(), request.target(), request.names());
            }
            problems.addAll(FollowPreflight.check(request.source(), request.target(), request.names(),
                    published(listing).stream().map(ListedObject::oid).toList(), request.resume(), existing));
            if (request.resume() && dir.copyUnfinished()) {
                problems.add(Problem.of(ErrorCode.FOLLOW_STATE_MISMATCH, "the copy of this follow did not finish, and "
                        + "the slot's snapshot it read died with it", "start over: cleanup(), then run without "
                        + "resume()"));
            }
            if (!problems.isEmpty()) {
                throw refused(problems);
            }
            return follow(dir, listing);
        } catch (SQLException e) {
            throw failed("the follow failed: " + Errors.message(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgCopyException(ErrorCode.CANCELLED, "the follow was interrupted");
        }
    }

    private FollowReport follow(FollowDirectory dir, SourceListing listing) throws SQLException {
        ReplicationSetup setup = null;
        if (!request.resume()) {
            dir.clear();
            if (request.copy().isPresent()) {
                dir.markCopyStarted();
            }
            setup = ReplicationSetup.create(request.source(), request.target(), request.names(),
                    published(listing).stream().map(ListedObject::name).toList(), request.copy().isPresent());
        }
        Optional<CopyReport> copied = Optional.empty();
        long applied;
        try (ChangeLog log = ChangeLog.open(dir.changes(), request.segmentBytes(), request.maxLogBytes())) {
            ChangeReceiver receiver = new ChangeReceiver(request.source(), request.names(), log);
            receiver.start();
            try {
                if (request.copy().isPresent() && !dir.copyDone()) {
                    try {
                        copied = Optional.of(request.copy().get().apply(setup.snapshot().orElseThrow()));
                    } catch (PgCopyException e) {
                        // The copy's own remedy (resume()) cannot hold: its snapshot dies with the slot's session.
                        throw e.toBuilder().problem(Problem.of(ErrorCode.FOLLOW_STATE_MISMATCH, "the copy of the "
                                + "follow failed; its snapshot is gone, so it cannot be resumed", "drop the follow's "
                                + "slot, publication and origin with cleanup(), then start over")).build();
                    } finally {
                        setup.close();
                    }
                    dir.markCopyDone();
                    LOG.info("The copy is done: applying the changes received meanwhile and after");
                } else if (setup != null) {
                    setup.close();
                }
                applied = apply(dir, log, receiver);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgCopyException(ErrorCode.CANCELLED, "the follow was interrupted");
            } finally {
                stop(receiver);
            }
        }
        List<QualifiedName> sequences = listing.sequences().stream().filter(s -> s.decision().selected())
                .map(ListedObject::name).toList();
        int synced = SequenceSync.sync(request.source(), request.target(), sequences);
        LOG.info("Set {} sequences on the target to their values on the source", synced);
        List<String> dropped = ReplicationObjects.drop(request.source(), request.target(), request.names());
        dir.clear();
        return new FollowReport(copied, Lsn.format(applied), endposReached == Long.MAX_VALUE ? ""
                : Lsn.format(endposReached), synced, dropped, Duration.ofNanos(System.nanoTime() - started));
    }

    private long apply(FollowDirectory dir, ChangeLog log, ChangeReceiver receiver) throws SQLException,
            InterruptedException {
        Endpos endpos = new Endpos(request.endpos(), dir);
        try (Connection target = Sessions.openTarget(request.target(), "64MB");
                ChangeApplier applier = appliers.open(target, request.names().origin())) {
            long from = applier.appliedUpTo();
            LOG.info("Applying changes from {} until {}", Lsn.format(from), endpos.describe());
            long applied;
            try (ChangeLogReader reader = log.reader(from, endpos);
                    FollowMonitor monitor = FollowMonitor.start(request.target(), request.names().origin(),
                            request.listener(), log, receiver)) {
                applied = applier.apply(reader, request.endpos().orElse(Long.MAX_VALUE));
            }
            if (receiver.failure() != null) {
                throw failed("receiving changes from slot " + request.names().slot() + " failed: "
                        + Errors.message(receiver.failure()), receiver.failure());
            }
            endposReached = endpos.getAsLong();
            LOG.info("Applied changes up to {} (endpos {})", Lsn.format(applied), endpos.describe());
            return applied;
        }
    }

    /** A target that cannot be reached is a connection problem, typed as a copy's are (the source's: the listing). */
    static void reachable(io.pgcopydb.connection.ConnectionSpec target) {
        try (Connection c = Sessions.connect(target, "follow")) {
            c.isValid(1);
        } catch (SQLException e) {
            Problem p = io.pgcopydb.internal.postgres.ConnectionFailures.problem(io.pgcopydb.model.Side.TARGET,
                    target, e);
            throw PgCopyException.builder(p.code(), p.toString()).problem(p).phase(Phase.PREFLIGHT).cause(e).build();
        }
    }

    private static void stop(ChangeReceiver receiver) {
        try {
            receiver.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The tables whose rows the copy fills: the ones whose changes are published. */
    static List<ListedObject> published(SourceListing listing) {
        return listing.tables().stream().filter(t -> t.kind() == ListedObject.Kind.TABLE
                && t.decision() == ListedObject.Decision.COPY).toList();
    }

    static PgCopyException refused(List<Problem> problems) {
        return PgCopyException.builder(problems.get(0).code(), "the follow cannot start: " + problems.stream()
                .map(Problem::toString).collect(Collectors.joining("; "))).problems(problems)
                .phase(Phase.PREFLIGHT).build();
    }

    static PgCopyException failed(String message, Throwable cause) {
        return PgCopyException.builder(ErrorCode.FOLLOW_FAILED, message).problem(Problem.of(ErrorCode.FOLLOW_FAILED,
                message, "fix the cause, then continue with resume()")).cause(cause).build();
    }
}
