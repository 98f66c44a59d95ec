package io.pgcopydb.internal.follow;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.Problem;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.Side;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a follow needs of both servers, checked before anything is created, every problem at once with its remedy:
 * on the source {@code wal_level = logical}, a free replication slot and two free WAL senders (one creates the
 * slot and holds the copy's snapshot, one streams), the REPLICATION attribute, pgoutput (PostgreSQL 10 or newer),
 * ownership of the published tables, and a primary key or replica identity on each of them (else its updates and
 * deletes cannot be replayed); on the target the right to create a replication origin; and that the slot,
 * publication and origin are absent (a new follow) or present (a resumed one).
 */
public final class FollowPreflight {
    private static final int MAX_NAMES = 5;

    private FollowPreflight() {
    }

    /**
     * @param tables the OIDs of the tables the follow publishes
     * @param resume whether the follow continues one whose slot, publication and origin exist
     * @param existing what exists of them now
     */
    public static List<Problem> check(ConnectionSpec source, ConnectionSpec target, FollowNames names,
            List<Long> tables, boolean resume, ReplicationObjects existing) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        state(names, resume, existing, problems);
        try (Connection c = Sessions.connect(source, "follow preflight")) {
            source(c, tables, resume && existing.slot(), problems);
        }
        try (Connection t = Sessions.connect(target, "follow preflight")) {
            if (!bool(t, "SELECT pg_catalog.has_function_privilege("
                    + "'pg_catalog.pg_replication_origin_create(text)', 'EXECUTE')")) {
                problems.add(Problem.of(ErrorCode.PRIVILEGE_MISSING, "target role " + t.getMetaData().getUserName()
                        + " may not create a replication origin", "connect to the target as a superuser, or GRANT "
                        + "EXECUTE ON FUNCTION pg_replication_origin_create(text) and the other pg_replication_origin "
                        + "functions to it").withSide(Side.TARGET));
            }
        }
        return problems;
    }

    private static void state(FollowNames names, boolean resume, ReplicationObjects existing, List<Problem> out) {
        if (!resume && !existing.none()) {
            out.add(Problem.of(ErrorCode.FOLLOW_STATE_MISMATCH, "a follow is already set up: " + what(names, existing,
                    true) + " exist", "continue it with resume(), or drop them with cleanup()").withObject(
                    names.slot()));
        } else if (resume && !existing.all()) {
            out.add(Problem.of(ErrorCode.FOLLOW_STATE_MISMATCH, "nothing to resume: " + what(names, existing, false)
                    + " missing", "start a new follow without resume() (after cleanup())").withObject(names.slot()));
        } else if (resume && existing.slotActive()) {
            out.add(Problem.of(ErrorCode.FOLLOW_STATE_MISMATCH, "replication slot " + names.slot() + " is in use by "
                    + "another session", "stop the other follow first").withSide(Side.SOURCE).withObject(
                    names.slot()));
        }
    }

    private static String what(FollowNames names, ReplicationObjects e, boolean present) {
        List<String> parts = new ArrayList<>();
        if (e.slot() == present) {
            parts.add("replication slot " + names.slot());
        }
        if (e.publication() == present) {
            parts.add("publication " + names.publication());
        }
        if (e.origin() == present) {
            parts.add("replication origin " + names.origin() + " (target)");
        }
        return String.join(", ", parts);
    }

    private static void source(Connection c, List<Long> tables, boolean slotExists, List<Problem> out)
            throws SQLException {
        if (c.getMetaData().getDatabaseMajorVersion() < 10) {
            out.add(unavailable("the source runs PostgreSQL " + c.getMetaData().getDatabaseProductVersion()
                    + ", older than 10, which has no pgoutput", "upgrade the source, or copy without following"));
            return;
        }
        String walLevel = text(c, "SELECT pg_catalog.current_setting('wal_level')");
        if (!"logical".equals(walLevel)) {
            out.add(unavailable("the source's wal_level is " + walLevel + ", not logical", "set it (ALTER SYSTEM SET "
                    + "wal_level = logical) and restart the source"));
        }
        long freeSlots = number(c, "SELECT pg_catalog.current_setting('max_replication_slots')::int "
                + "- (SELECT count(*) FROM pg_catalog.pg_replication_slots)");
        if (!slotExists && freeSlots < 1) {
            out.add(unavailable("no replication slot is free on the source (max_replication_slots)", "drop an unused "
                    + "slot (pg_drop_replication_slot), or raise max_replication_slots and restart the source"));
        }
        long freeSenders = number(c, "SELECT pg_catalog.current_setting('max_wal_senders')::int "
                + "- (SELECT count(*) FROM pg_catalog.pg_stat_replication)");
        if (freeSenders < (slotExists ? 1 : 2)) {
            out.add(unavailable("the source has " + freeSenders + " free WAL senders, the follow needs "
                    + (slotExists ? 1 : 2), "raise max_wal_senders and restart the source"));
        }
        String user = c.getMetaData().getUserName();
        if (!bool(c, "SELECT rolsuper OR rolreplication FROM pg_catalog.pg_roles WHERE rolname = current_user")) {
            out.add(Problem.of(ErrorCode.PRIVILEGE_MISSING, "source role " + user + " lacks the REPLICATION "
                    + "attribute", "grant it (ALTER ROLE " + user + " REPLICATION), or follow as a superuser")
                    .withSide(Side.SOURCE).withObject(user));
        }
        Array oids = c.createArrayOf("oid", tables.toArray());
        List<String> notOwned = names(c, "SELECT format('%I.%I', n.nspname, r.relname) FROM pg_catalog.pg_class r "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace WHERE r.oid = ANY (?) "
                + "AND NOT pg_catalog.pg_has_role(r.relowner, 'USAGE') ORDER BY 1", oids);
        if (!notOwned.isEmpty()) {
            out.add(Problem.of(ErrorCode.PRIVILEGE_MISSING, "source role " + user + " does not own " + list(notOwned)
                    + ", which the publication of the follow must list", "follow as their owner or a superuser")
                    .withSide(Side.SOURCE).withObject(notOwned.get(0)));
        }
        List<String> noIdentity = names(c, "SELECT format('%I.%I', n.nspname, r.relname) FROM pg_catalog.pg_class r "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace WHERE r.oid = ANY (?) AND r.relkind = 'r' "
                + "AND (r.relreplident = 'n' OR r.relreplident = 'd' AND NOT EXISTS (SELECT FROM pg_catalog.pg_index i "
                + "WHERE i.indrelid = r.oid AND i.indisprimary) OR r.relreplident = 'i' AND NOT EXISTS (SELECT FROM "
                + "pg_catalog.pg_index i WHERE i.indrelid = r.oid AND i.indisreplident)) ORDER BY 1", oids);
        for (String table : noIdentity) {
            out.add(Problem.of(ErrorCode.REPLICA_IDENTITY_MISSING, "table " + table + " has neither a primary key "
                    + "nor a replica identity: its updates and deletes cannot be replayed", "on the source, ALTER "
                    + "TABLE " + table + " REPLICA IDENTITY FULL (or add a primary key), or leave it out with an "
                    + "exclusion filter (Filters.excludeTable(\"" + table + "\"), [exclude-table] in a filter file)")
                    .withSide(Side.SOURCE).withObject(table));
        }
    }

    private static Problem unavailable(String message, String remedy) {
        return Problem.of(ErrorCode.LOGICAL_REPLICATION_UNAVAILABLE, message, remedy).withSide(Side.SOURCE);
    }

    private static String list(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(MAX_NAMES, names.size())));
        return names.size() + (names.size() == 1 ? " table (" : " tables (") + shown
                + (names.size() > MAX_NAMES ? ", …)" : ")");
    }

    private static List<String> names(Connection c, String sql, Array oids) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long number(Connection c, String sql) throws SQLException {
        return Long.parseLong(text(c, sql));
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
