package io.pgcopydb.internal.follow;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Problem;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.ListedObject;
import io.pgcopydb.filter.SourceListing;
import io.pgcopydb.internal.filter.SourceLister;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.Sessions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** The follow's commands other than the follow itself: {@code stream setup}, {@code stream cleanup}, the sentinel. */
public final class FollowCommands {
    private FollowCommands() {
    }

    /**
     * Creates the publication, the slot (exporting no snapshot) and the origin, after the same preflight as a follow:
     * a later {@code resume()}d follow streams from there.
     */
    public static void setup(FollowRequest request) {
        try {
            FollowRun.reachable(request.target());
            SourceListing listing = SourceLister.list(request.source(), request.filters());
            List<Problem> problems = new ArrayList<>();
            listing.errors().forEach(e -> problems.add(Problem.of(ErrorCode.FILTER_REFUSED, e, "change the filter")));
            ReplicationObjects existing = ReplicationObjects.find(request.source(), request.target(),
                    request.names());
            List<ListedObject> tables = FollowRun.published(listing);
            problems.addAll(FollowPreflight.check(request.source(), request.target(), request.names(),
                    tables.stream().map(ListedObject::oid).toList(), false, existing));
            if (!problems.isEmpty()) {
                throw FollowRun.refused(problems);
            }
            try (FollowDirectory dir = FollowDirectory.lock(request.directory()).orElseThrow(() -> FollowRun.refused(
                    List.of(Problem.of(ErrorCode.WORK_DIRECTORY_IN_USE, "the follow's directory "
                            + request.directory() + " is in use by a running follow", "wait for it to end, or give "
                            + "another workDirectory(path)"))))) {
                dir.clear();
                ReplicationSetup.create(request.source(), request.target(), request.names(),
                        tables.stream().map(ListedObject::name).toList(), false).close();
            }
        } catch (SQLException e) {
            throw FollowRun.failed("the follow's setup failed: " + Errors.message(e), e);
        }
    }

    /**
     * Drops the slot, the publication and the origin, and the follow's change log: nothing of the follow is left.
     *
     * @return what was dropped
     */
    public static List<String> cleanup(FollowRequest request) {
        try {
            List<String> dropped = ReplicationObjects.drop(request.source(), request.target(), request.names());
            var dir = FollowDirectory.lock(request.directory());
            if (dir.isPresent()) {
                try (FollowDirectory d = dir.get()) {
                    d.clear();
                }
            }
            return dropped;
        } catch (SQLException e) {
            throw FollowRun.failed("the follow's cleanup failed: " + Errors.message(e), e);
        }
    }

    /** Sets the sentinel's endpos in the follow's directory. */
    public static void setEndpos(Path directory, long lsn) {
        FollowDirectory.at(directory).setEndpos(lsn);
    }

    /** The sentinel's endpos, if one was set. */
    public static OptionalLong endpos(Path directory) {
        return FollowDirectory.at(directory).endpos();
    }

    /**
     * The source's current WAL insert position ({@code pg_current_wal_insert_lsn()}): past every transaction
     * committed so far. Not {@code pg_current_wal_lsn()}, the write position, which an asynchronous commit
     * ({@code synchronous_commit = off}) may already have passed, so a cut-over there could leave out a transaction
     * its client saw committed.
     */
    public static long currentLsn(ConnectionSpec source) {
        try (Connection c = Sessions.connect(source, "follow sentinel"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_current_wal_insert_lsn()::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        } catch (SQLException e) {
            throw new PgCopyException(Errors.runCode(e, ErrorCode.INTERNAL), "cannot read the source's current WAL "
                    + "position: " + Errors.message(e));
        }
    }
}
