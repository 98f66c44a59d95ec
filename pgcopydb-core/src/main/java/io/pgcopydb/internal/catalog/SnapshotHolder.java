package io.pgcopydb.internal.catalog;

import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.run.RunContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the source transaction whose snapshot every reader imports, so that the catalog, the filter and every
 * COPY read the same instant (pgcopydb reads its catalog outside the snapshot, so its table list and sequence
 * values can disagree with the data it copies). The connection stays open, idle in transaction, until
 * {@link #release()}.
 */
public final class SnapshotHolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotHolder.class);

    private final Connection connection;
    private final Optional<String> snapshotId;

    private SnapshotHolder(Connection connection, Optional<String> snapshotId) {
        this.connection = connection;
        this.snapshotId = snapshotId;
    }

    /**
     * Opens the source transaction: importing the caller's snapshot ({@code snapshot(id)}), exporting a new one,
     * or, for a run that is not consistent, neither.
     */
    public static SnapshotHolder open(RunContext context) throws SQLException {
        Optional<String> given = context.options().snapshot();
        // With a caller's snapshot, this session imports it like every worker (the context carries it).
        Connection c = context.openSource();
        try {
            if (given.isPresent()) {
                LOG.info("Using the snapshot \"{}\" held by the caller", given.get());
                return new SnapshotHolder(c, given);
            }
            if (!context.options().consistent()) {
                return new SnapshotHolder(c, Optional.empty());
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                String id = rs.getString(1);
                LOG.info("Exported snapshot \"{}\" from the source database", id);
                return new SnapshotHolder(c, Optional.of(id));
            }
        } catch (SQLException | RuntimeException e) {
            Sessions.closeQuietly(c, e);
            throw e;
        }
    }

    /** The snapshot every reader imports; empty when the run is not consistent. */
    public Optional<String> snapshotId() {
        return snapshotId;
    }

    /** The session holding the snapshot, to read the catalog in it. Not to be closed by the caller. */
    public Connection connection() {
        return connection;
    }

    /** Ends the snapshot transaction; readers that imported it keep their own copy. Idempotent. */
    public void release() {
        try {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("releasing the snapshot: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        release();
    }
}
