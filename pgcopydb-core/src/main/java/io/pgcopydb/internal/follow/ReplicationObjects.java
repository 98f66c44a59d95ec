package io.pgcopydb.internal.follow;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Sessions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What of a follow exists on the servers — the slot and publication on the source, the origin on the target —
 * and {@code stream cleanup}, which drops all three.
 *
 * @param slot whether the slot exists
 * @param slotActive whether a session streams from it now
 * @param confirmedFlush the slot's {@code confirmed_flush_lsn}, when it exists
 * @param publication whether the publication exists
 * @param origin whether the origin exists
 * @param originProgress the origin's progress (the end LSN of the last transaction applied), when it exists
 */
public record ReplicationObjects(boolean slot, boolean slotActive, OptionalLong confirmedFlush, boolean publication,
        boolean origin, OptionalLong originProgress) {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationObjects.class);

    /** Whether none of the three exists. */
    public boolean none() {
        return !slot && !publication && !origin;
    }

    /** Whether all three exist. */
    public boolean all() {
        return slot && publication && origin;
    }

    /** Reads what exists now. */
    public static ReplicationObjects find(ConnectionSpec source, ConnectionSpec target, FollowNames names)
            throws SQLException {
        boolean slot = false;
        boolean active = false;
        OptionalLong confirmed = OptionalLong.empty();
        boolean publication;
        try (Connection c = Sessions.connect(source, "follow")) {
            try (PreparedStatement ps = c.prepareStatement("SELECT active, confirmed_flush_lsn::text "
                    + "FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
                ps.setString(1, names.slot());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        slot = true;
                        active = rs.getBoolean(1);
                        confirmed = rs.getString(2) == null ? OptionalLong.empty()
                                : OptionalLong.of(Lsn.parse(rs.getString(2)));
                    }
                }
            }
            publication = exists(c, "SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?", names.publication());
        }
        boolean origin = false;
        OptionalLong progress = OptionalLong.empty();
        try (Connection t = Sessions.connect(target, "follow")) {
            try (PreparedStatement ps = t.prepareStatement("SELECT pg_catalog.pg_replication_origin_progress(roname, "
                    + "true)::text FROM pg_catalog.pg_replication_origin WHERE roname = ?")) {
                ps.setString(1, names.origin());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        origin = true;
                        progress = OptionalLong.of(rs.getString(1) == null ? 0 : Lsn.parse(rs.getString(1)));
                    }
                }
            }
        }
        return new ReplicationObjects(slot, active, confirmed, publication, origin, progress);
    }

    /**
     * Drops the slot, the publication (on the source, and the copy of it the schema brought to the target) and the
     * origin, each when it exists. A slot still streaming to another
     * session cannot be dropped: that is an error naming it.
     *
     * @return what was dropped, e.g. {@code replication slot pgcopydb}
     */
    public static List<String> drop(ConnectionSpec source, ConnectionSpec target, FollowNames names)
            throws SQLException {
        List<String> dropped = new ArrayList<>();
        try (Connection c = Sessions.connect(source, "follow cleanup")) {
            if (exists(c, "SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = ?", names.slot())) {
                dropSlot(c, names.slot());
                dropped.add("replication slot " + names.slot());
            }
            if (exists(c, "SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?", names.publication())) {
                Sessions.execute(c, "DROP PUBLICATION " + io.pgcopydb.model.QualifiedName.quoteIdent(
                        names.publication()));
                dropped.add("publication " + names.publication());
            }
        }
        try (Connection t = Sessions.connect(target, "follow cleanup")) {
            // The copy's pg_dump ran in the slot's snapshot, where the publication already existed: the schema
            // brought it to the target too, where it publishes nothing anyone asked for.
            if (exists(t, "SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?", names.publication())) {
                Sessions.execute(t, "DROP PUBLICATION " + io.pgcopydb.model.QualifiedName.quoteIdent(
                        names.publication()));
                dropped.add("publication " + names.publication() + " on the target (copied with the schema)");
            }
            if (exists(t, "SELECT 1 FROM pg_catalog.pg_replication_origin WHERE roname = ?", names.origin())) {
                try (PreparedStatement ps = t.prepareStatement("SELECT pg_catalog.pg_replication_origin_drop(?)")) {
                    ps.setString(1, names.origin());
                    ps.execute();
                }
                dropped.add("replication origin " + names.origin());
            }
        }
        dropped.forEach(d -> LOG.info("Dropped {}", d));
        return dropped;
    }

    /**
     * Drops the slot, waiting up to 10 s while it is still active: the walsender of a stream just closed (ours, or
     * that of a follower killed a moment ago) releases it only once it notices.
     */
    private static void dropSlot(Connection c, String slot) throws SQLException {
        WhileInUse.call(c, "pg_catalog.pg_drop_replication_slot", slot);
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
