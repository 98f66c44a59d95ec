package io.pgcopydb.internal.follow;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.SqlText;
import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code stream setup} creates, in this order: the publication of exactly the selected tables (before the
 * slot: a slot whose decoding starts before its publication exists fails or drops changes), the logical slot
 * with pgoutput — exporting its snapshot when the copy is to read it — and the replication origin on the target.
 * The replication session that created the slot stays open until {@link #close()}: the exported snapshot lives
 * only as long as it does.
 */
public final class ReplicationSetup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSetup.class);

    private final Connection replication;
    private final Optional<String> snapshot;
    private final long consistentPoint;

    private ReplicationSetup(Connection replication, Optional<String> snapshot, long consistentPoint) {
        this.replication = replication;
        this.snapshot = snapshot;
        this.consistentPoint = consistentPoint;
    }

    /**
     * Creates the publication, the slot and the origin.
     *
     * @param tables the tables to publish (those the copy fills)
     * @param exportSnapshot whether the slot exports its snapshot (held until {@link #close()})
     * @throws SQLException when a server refuses; what was already created stays (cleanup drops it)
     */
    public static ReplicationSetup create(ConnectionSpec source, ConnectionSpec target, FollowNames names,
            List<QualifiedName> tables, boolean exportSnapshot) throws SQLException {
        try (Connection c = Sessions.connect(source, "follow setup")) {
            String list = tables.stream().map(QualifiedName::quoted).collect(Collectors.joining(", "));
            // Leaf partitions are published under their own names: the copy keeps the source's layout, so the
            // target has the same partitions (publish_via_partition_root is for targets laid out otherwise).
            Sessions.execute(c, "CREATE PUBLICATION " + QualifiedName.quoteIdent(names.publication())
                    + (tables.isEmpty() ? "" : " FOR TABLE " + list));
            LOG.info("Created publication {} of {} tables on the source", names.publication(), tables.size());
        }
        Connection replication = ReplicationSessions.open(source, "follow slot");
        try {
            int major = replication.getMetaData().getDatabaseMajorVersion();
            String slot = QualifiedName.quoteIdent(names.slot());
            String sql = "CREATE_REPLICATION_SLOT " + slot + " LOGICAL pgoutput " + (major >= 15
                    ? (exportSnapshot ? "(SNAPSHOT 'export')" : "(SNAPSHOT 'nothing')")
                    : (exportSnapshot ? "EXPORT_SNAPSHOT" : "NOEXPORT_SNAPSHOT"));
            Optional<String> snapshot;
            long consistent;
            try (Statement s = replication.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                consistent = Lsn.parse(rs.getString("consistent_point"));
                snapshot = Optional.ofNullable(rs.getString("snapshot_name"));
            }
            LOG.info("Created logical replication slot {} at {}{}", names.slot(), Lsn.format(consistent),
                    snapshot.map(id -> ", exported snapshot " + id).orElse(""));
            try (Connection t = Sessions.connect(target, "follow setup")) {
                Sessions.execute(t, "SELECT pg_catalog.pg_replication_origin_create(" + SqlText.literal(names.origin())
                        + ")");
            }
            LOG.info("Created replication origin {} on the target", names.origin());
            if (!exportSnapshot) {
                replication.close();
            }
            return new ReplicationSetup(replication, snapshot, consistent);
        } catch (SQLException | RuntimeException e) {
            Sessions.closeQuietly(replication, e);
            throw e;
        }
    }

    /** The snapshot the slot exported, valid until {@link #close()}; empty when none was asked. */
    public Optional<String> snapshot() {
        return snapshot;
    }

    /** The slot's consistent point: the first transaction it decodes commits after it. */
    public long consistentPoint() {
        return consistentPoint;
    }

    /** Ends the replication session, and with it the exported snapshot. */
    @Override
    public void close() {
        Sessions.closeQuietly(replication, null);
    }
}
