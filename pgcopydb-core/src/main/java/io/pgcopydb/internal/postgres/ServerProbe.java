package io.pgcopydb.internal.postgres;

import io.pgcopydb.PgCopyException;
import io.pgcopydb.Problem;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.Side;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/** {@code ping} and {@code snapshot}: one session to a server, to time it or to hold a snapshot open in it. */
public final class ServerProbe {
    private ServerProbe() {
    }

    /**
     * What a ping found: the server's version, how long connecting took, and one round trip of {@code SELECT 1}.
     *
     * @param version {@code server_version}
     * @param versionNumber {@code server_version_num}
     * @param connect the time to connect and authenticate
     * @param roundTrip the time of one {@code SELECT 1} on the open session
     */
    public record Pong(String version, int versionNumber, Duration connect, Duration roundTrip) {
    }

    /** Connects to {@code spec}, reads its version and times a round trip; the session is closed again. */
    public static Pong ping(ConnectionSpec spec, Side side) {
        long start = System.nanoTime();
        try (Connection c = Sessions.connect(spec, "ping")) {
            Duration connect = Duration.ofNanos(System.nanoTime() - start);
            long t = System.nanoTime();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
            }
            Duration roundTrip = Duration.ofNanos(System.nanoTime() - t);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT pg_catalog.current_setting('server_version'), "
                            + "pg_catalog.current_setting('server_version_num')::int")) {
                rs.next();
                return new Pong(rs.getString(1), rs.getInt(2), connect, roundTrip);
            }
        } catch (SQLException e) {
            throw failure(side, spec, e);
        }
    }

    /**
     * Opens a source session in a {@code REPEATABLE READ} transaction and exports its snapshot; the session holds it
     * until closed.
     *
     * @return the session and the snapshot's id
     */
    public static Exported exportSnapshot(ConnectionSpec spec) {
        Connection c = null;
        try {
            c = Sessions.openSource(spec, Optional.empty());
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                return new Exported(c, rs.getString(1));
            }
        } catch (SQLException e) {
            Sessions.closeQuietly(c, e);
            throw failure(Side.SOURCE, spec, e);
        }
    }

    /**
     * A session holding an exported snapshot.
     *
     * @param connection the session, idle in its transaction
     * @param id the snapshot's id, for {@code SET TRANSACTION SNAPSHOT}
     */
    public record Exported(Connection connection, String id) {
    }

    private static PgCopyException failure(Side side, ConnectionSpec spec, SQLException e) {
        Problem problem = Errors.isConnectionError(e) ? ConnectionFailures.problem(side, spec, e)
                : Problem.of(io.pgcopydb.ErrorCode.INTERNAL, "the " + side.label() + " " + spec.toUri()
                        + " failed: " + Errors.message(e), "check the server's log").withSide(side)
                        .withSqlState(e.getSQLState());
        return PgCopyException.builder(problem.code(), problem.toString()).problem(problem).cause(e).build();
    }
}
