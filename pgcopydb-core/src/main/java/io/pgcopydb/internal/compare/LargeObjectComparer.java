package io.pgcopydb.internal.compare;

import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.Difference.Area;
import io.pgcopydb.internal.run.Futures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Compares the large objects of the two sides by OID: present on both, owner, ACL (its items sorted, so grants
 * made in another order do not differ) and the data.
 *
 * <p><b>The data checksum</b>, computed by the server in constant memory per object: the object's size
 * ({@code lo_lseek64} to its end on a read-only descriptor, closed at once), then, over its 1 MB chunks read with
 * {@code lo_get(oid, offset, 1048576)} from {@code generate_series(0, size - 1, 1048576)}, the sums (as exact
 * numerics) of the two 64-bit halves of {@code md5(md5(chunk) || ':' || offset)}. The offset inside the hash makes
 * two swapped chunks differ; the sum keeps one chunk in memory at a time however large the object. Two different
 * contents of the same size collide only if both 64-bit sums do (about 2<sup>-64</sup> at worst, md5 being
 * treated as a random function; it is not a defence against crafted data).
 *
 * <p>Each side streams its objects in OID order through a cursor on one of its workers, into a bounded queue; the
 * calling thread merges the two streams, so neither side's list is ever held whole. At most
 * {@value #MAX_LISTED} differences are listed; beyond, one more difference says how many were left out.
 */
final class LargeObjectComparer {
    /** At most this many large object differences are listed. */
    static final int MAX_LISTED = 1000;
    private static final int QUEUE = 256;
    private static final int FETCH = 100;
    private static final int INV_READ = 0x40000;

    private static final String OBJECTS = """
            SELECT s.oid, s.owner, s.acl, s.size,
                   (SELECT coalesce(sum(('x' || substr(h.md5, 1, 16))::pg_catalog.bit(64)::pg_catalog.int8), 0)
                           || '/' || coalesce(sum(('x' || substr(h.md5, 17, 16))::pg_catalog.bit(64)::pg_catalog.int8), 0)
                    FROM (SELECT pg_catalog.md5(pg_catalog.md5(pg_catalog.lo_get(s.oid, o, 1048576)) || ':' || o) AS md5
                          FROM pg_catalog.generate_series(0, s.size - 1, 1048576) o) h)
            FROM (SELECT a.oid, a.owner, a.acl, pg_catalog.lo_lseek64(a.fd, 0, 2) AS size, pg_catalog.lo_close(a.fd)
                  FROM (SELECT m.oid::pg_catalog.int8 AS oid, pg_catalog.pg_get_userbyid(m.lomowner) AS owner,
                               CASE WHEN m.lomacl IS NULL THEN NULL
                                    ELSE coalesce((SELECT pg_catalog.array_agg(i::pg_catalog.text ORDER BY i::pg_catalog.text)
                                                   FROM pg_catalog.unnest(m.lomacl) i)::pg_catalog.text, '{}') END AS acl,
                               pg_catalog.lo_open(m.oid, %d) AS fd
                        FROM pg_catalog.pg_largeobject_metadata m ORDER BY m.oid OFFSET 0) a
                  OFFSET 0) s""".formatted(INV_READ);

    private LargeObjectComparer() {
    }

    /**
     * One large object as a side has it.
     *
     * @param oid its OID
     * @param owner its owner's name
     * @param acl its ACL, items sorted; {@code null} for the default privileges
     * @param size its size in bytes
     * @param checksum the checksum of its data
     */
    record LargeObjectState(long oid, String owner, String acl, long size, String checksum) {
        String data() {
            return String.format(Locale.ROOT, "%d bytes, checksum %s", size, checksum);
        }
    }

    /** What a side's stream carries: an object, or its end. */
    private record Item(LargeObjectState object) {
        static final Item END = new Item(null);
    }

    /**
     * One side's objects arriving in OID order from a worker. The query sorts the OIDs before the per-object work
     * and the subquery scans above keep that order; an outer {@code ORDER BY} would make the planner sort after
     * computing every checksum, so the order is checked here instead.
     */
    private static final class ObjectStream {
        private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE);
        private final CompletableFuture<Void> producer;
        private volatile boolean abandoned;

        ObjectStream(DataSide side) {
            producer = side.submit("large objects", this::produce);
        }

        private Void produce(Connection c) throws SQLException, InterruptedException {
            try (Statement s = c.createStatement()) {
                s.setFetchSize(FETCH);
                try (ResultSet rs = s.executeQuery(OBJECTS)) {
                    long previous = -1;
                    while (rs.next()) {
                        long oid = rs.getLong(1);
                        if (oid <= previous) {
                            throw new IllegalStateException("large objects listed out of OID order: " + oid
                                    + " after " + previous);
                        }
                        previous = oid;
                        put(new Item(new LargeObjectState(oid, rs.getString(2), rs.getString(3), rs.getLong(4),
                                rs.getString(5))));
                    }
                }
            }
            put(Item.END);
            return null;
        }

        private void put(Item item) throws InterruptedException {
            while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                if (abandoned) {
                    throw new InterruptedException("the large object comparison stopped");
                }
            }
        }

        /** The next object; empty at the end. */
        Optional<LargeObjectState> next() throws InterruptedException {
            while (true) {
                Item item = queue.poll(100, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return Optional.ofNullable(item.object());
                }
                if (producer.isDone()) {
                    Futures.join(producer, RuntimeException.class);
                    item = queue.poll();
                    // The producer ended without its end mark only by failing, which join has thrown.
                    return Optional.ofNullable(Objects.requireNonNull(item, "large object stream").object());
                }
            }
        }
    }

    /** A comparison under way: both sides' streams started. */
    static final class Pending {
        private final ObjectStream source;
        private final ObjectStream target;

        private Pending(ObjectStream source, ObjectStream target) {
            this.source = source;
            this.target = target;
        }

        /** Merges the two streams on the calling thread: the differences in OID order. */
        List<Difference> differences() {
            try {
                return merge();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DataSide.failure(io.pgcopydb.model.Side.SOURCE, "large objects", e);
            } finally {
                source.abandoned = true;
                target.abandoned = true;
            }
        }

        private List<Difference> merge() throws InterruptedException {
            List<Difference> out = new ArrayList<>();
            long unlisted = 0;
            Optional<LargeObjectState> s = source.next();
            Optional<LargeObjectState> t = target.next();
            while (s.isPresent() || t.isPresent()) {
                List<Difference> found = new ArrayList<>();
                if (t.isEmpty() || (s.isPresent() && s.get().oid() < t.get().oid())) {
                    found.add(Difference.missingOnTarget(Area.DATA, object(s.get()), s.get().data()));
                    s = source.next();
                } else if (s.isEmpty() || t.get().oid() < s.get().oid()) {
                    found.add(Difference.extraOnTarget(Area.DATA, object(t.get()), t.get().data()));
                    t = target.next();
                } else {
                    compare(found, s.get(), t.get());
                    s = source.next();
                    t = target.next();
                }
                for (Difference d : found) {
                    if (out.size() < MAX_LISTED) {
                        out.add(d);
                    } else {
                        unlisted++;
                    }
                }
            }
            if (unlisted > 0) {
                out.add(Difference.changed(Area.DATA, "large objects", "differences not listed",
                        Long.toString(unlisted), Long.toString(unlisted)));
            }
            return out;
        }
    }

    /** Starts streaming both sides' large objects, each on one worker of its side. */
    static Pending start(DataSide source, DataSide target) {
        return new Pending(new ObjectStream(source), new ObjectStream(target));
    }

    private static void compare(List<Difference> out, LargeObjectState s, LargeObjectState t) {
        String object = object(s);
        if (!s.owner().equals(t.owner())) {
            out.add(Difference.changed(Area.DATA, object, "owner", s.owner(), t.owner()));
        }
        if (!Objects.equals(s.acl(), t.acl())) {
            out.add(Difference.changed(Area.DATA, object, "acl", acl(s), acl(t)));
        }
        if (s.size() != t.size() || !s.checksum().equals(t.checksum())) {
            out.add(Difference.changed(Area.DATA, object, "data", s.data(), t.data()));
        }
    }

    private static String acl(LargeObjectState o) {
        return o.acl() == null ? "(default)" : o.acl();
    }

    private static String object(LargeObjectState o) {
        return "large object " + Long.toUnsignedString(o.oid());
    }
}
