package io.pgcopydb.internal.follow;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.server.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Real pgoutput bytes for the applier's tests: the same tables on both sides, a publication of all tables (via
 * the partition root) and a logical slot on the source, read through {@code pg_logical_slot_get_binary_changes}
 * with protocol version 1, and a replication origin on the target. Closing drops the slot and the origin.
 */
final class SlotFeed implements AutoCloseable {
    private final DatabasePair pair;
    private final String slot;

    private SlotFeed(DatabasePair pair) {
        this.pair = pair;
        this.slot = pair.source().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Runs {@code ddl} on both sides, then publishes every table and creates the slot and the origin. */
    static SlotFeed start(DatabasePair pair, String ddl) {
        pair.source().execute(ddl);
        pair.target().execute(ddl);
        pair.source().execute("CREATE PUBLICATION pub FOR ALL TABLES WITH (publish_via_partition_root = true)");
        SlotFeed feed = new SlotFeed(pair);
        pair.source().queryForString("SELECT pg_create_logical_replication_slot('" + feed.slot + "', 'pgoutput')");
        pair.target().queryForString("SELECT pg_replication_origin_create('" + feed.origin() + "')");
        return feed;
    }

    /** The origin's name on the target. */
    String origin() {
        return pair.target().name();
    }

    /** Everything decoded since the last call (the slot moves past it). */
    List<StoredChange> take() {
        return read("pg_logical_slot_get_binary_changes");
    }

    /** Everything decoded since the last {@link #take()}, leaving the slot where it is. */
    List<StoredChange> peek() {
        return read("pg_logical_slot_peek_binary_changes");
    }

    private List<StoredChange> read(String function) {
        List<StoredChange> changes = new ArrayList<>();
        // The test servers commit asynchronously and decoding reads only flushed WAL: a synchronous commit that
        // writes WAL flushes everything before it.
        pair.source().execute("SET synchronous_commit = on; CREATE TEMPORARY TABLE feed_flush ()");
        try (Connection c = pair.source().connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT lsn::text, data FROM " + function + "('" + slot
                        + "', NULL, NULL, 'proto_version', '1', 'publication_names', 'pub')")) {
            while (r.next()) {
                changes.add(new StoredChange(Lsn.parse(r.getString(1)), r.getBytes(2)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return changes;
    }

    /** An applier on a session of its own. */
    PgOutputApplier applier() {
        try {
            return new PgOutputApplier(pair.target().connect(), origin());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Applies {@code changes} with a fresh applier, to their end, as a backlog (small transactions may share a
     * target transaction); returns the progress.
     */
    long applyAll(List<StoredChange> changes) {
        try (PgOutputApplier applier = applier()) {
            return applier.apply(backlog(changes), Long.MAX_VALUE);
        }
    }

    /** {@code changes} as a backlog: every next one is at hand. */
    static ReadyChanges backlog(List<StoredChange> changes) {
        Iterator<StoredChange> i = changes.iterator();
        return new ReadyChanges() {
            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public boolean hasNext() {
                return i.hasNext();
            }

            @Override
            public StoredChange next() {
                return i.next();
            }
        };
    }

    /** The target's sequences set as the source's (the follow re-syncs them at the end; pgoutput sends none). */
    void syncSequences() {
        try (Connection c = pair.source().connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT format('%I.%I', schemaname, sequencename), last_value"
                        + " FROM pg_sequences WHERE last_value IS NOT NULL")) {
            while (r.next()) {
                pair.target().queryForString("SELECT setval('" + r.getString(1).replace("'", "''") + "', "
                        + r.getLong(2) + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The library's comparison of the rows (and sequences, synced first). */
    CompareReport compare() {
        syncSequences();
        return DatabaseCompare.of(spec(pair.source()), spec(pair.target())).data();
    }

    private static ConnectionSpec spec(TestDatabase db) {
        return ConnectionSpec.jdbc(db.jdbcUrl(), db.server().user(), db.server().password().orElse(null));
    }

    @Override
    public void close() {
        try {
            pair.source().queryForString("SELECT pg_drop_replication_slot('" + slot + "')");
        } finally {
            pair.target().queryForString("SELECT pg_replication_origin_drop('" + origin() + "')");
        }
    }
}
