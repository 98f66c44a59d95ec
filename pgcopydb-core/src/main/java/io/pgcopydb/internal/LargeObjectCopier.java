package io.pgcopydb.internal;

import io.pgcopydb.stage.StageContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies large objects' data inside the snapshot. Their metadata (the OID, owner, ACL, comment) arrives with
 * the pre-data restore, so each object is filled in 1 MB chunks, never held whole in memory.
 */
final class LargeObjectCopier {
    private static final int CHUNK = 1 << 20;

    private LargeObjectCopier() {
    }

    /** Returns {count, bytes}. */
    static long[] copy(StageContext context) throws Exception {
        long count = 0;
        long bytes = 0;
        try (Connection source = context.openSource(); Connection target = context.openTarget()) {
            List<Long> oids = new ArrayList<>();
            try (Statement s = source.createStatement();
                    ResultSet rs = s.executeQuery("SELECT oid FROM pg_catalog.pg_largeobject_metadata ORDER BY oid")) {
                while (rs.next()) {
                    oids.add(rs.getLong(1));
                }
            }
            target.setAutoCommit(false);
            try (PreparedStatement read = source.prepareStatement("SELECT pg_catalog.lo_get(?::oid, ?, ?)");
                    PreparedStatement write = target.prepareStatement("SELECT pg_catalog.lo_put(?::oid, ?, ?)");
                    PreparedStatement exists = target.prepareStatement(
                            "SELECT pg_catalog.lo_create(?::oid) WHERE NOT EXISTS "
                                    + "(SELECT 1 FROM pg_catalog.pg_largeobject_metadata WHERE oid = ?::oid)")) {
                for (long oid : oids) {
                    if (context.isStopping()) {
                        throw new IllegalStateException("stopped before all large objects were copied");
                    }
                    exists.setLong(1, oid);
                    exists.setLong(2, oid);
                    exists.execute();
                    bytes += copyOne(oid, read, write);
                    count++;
                }
            }
            target.commit();
        }
        return new long[] {count, bytes};
    }

    private static long copyOne(long oid, PreparedStatement read, PreparedStatement write) throws Exception {
        long offset = 0;
        while (true) {
            read.setLong(1, oid);
            read.setLong(2, offset);
            read.setInt(3, CHUNK);
            byte[] chunk;
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                chunk = rs.getBytes(1);
            }
            if (chunk == null || chunk.length == 0) {
                return offset;
            }
            write.setLong(1, oid);
            write.setLong(2, offset);
            write.setBytes(3, chunk);
            write.execute();
            offset += chunk.length;
            if (chunk.length < CHUNK) {
                return offset;
            }
        }
    }
}
