package io.pgcopydb;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.Wiring;
import io.pgcopydb.model.Side;
import java.time.Duration;
import java.util.Objects;

/**
 * One server reached and timed: pgcopydb's {@code ping}. Immutable.
 *
 * <pre>{@code
 * ServerPing p = ServerPing.of(ConnectionSpec.parse(uri), Side.SOURCE);
 * System.out.println("PostgreSQL " + p.version() + ", " + p.roundTrip().toMillis() + " ms");
 * }</pre>
 *
 * @param version the server's {@code server_version} ({@code 15.8})
 * @param versionNumber its {@code server_version_num} ({@code 150008})
 * @param connect how long connecting and authenticating took
 * @param roundTrip how long one {@code SELECT 1} took on the open session
 */
public record ServerPing(String version, int versionNumber, Duration connect, Duration roundTrip) {

    /** Checks for nulls. */
    public ServerPing {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(roundTrip, "roundTrip");
    }

    /**
     * Connects to {@code server}, reads its version, times a round trip and disconnects.
     *
     * @param server the database to reach
     * @param side which side it is, for the problem's wording ({@code cannot connect to the source …})
     * @return what it found
     * @throws PgCopyException with a code of {@link ErrorCode.Category#CONNECTION} (unreachable, unknown host,
     *     authentication, …) when it cannot connect
     */
    public static ServerPing of(ConnectionSpec server, Side side) {
        return Wiring.ping(Objects.requireNonNull(server, "server"), Objects.requireNonNull(side, "side"));
    }
}
