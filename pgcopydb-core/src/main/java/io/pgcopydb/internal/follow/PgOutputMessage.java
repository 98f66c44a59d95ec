package io.pgcopydb.internal.follow;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One decoded pgoutput message (protocol version 1, "Logical Replication Message Formats" in the PostgreSQL
 * documentation): immutable values, one record per message type. {@link PgOutputDecoder} makes them from the
 * bytes a {@link StoredChange} holds.
 */
public sealed interface PgOutputMessage {

    /**
     * {@code B}: a transaction starts.
     *
     * @param finalLsn the LSN of the transaction's commit record (its start; the commit's end is in {@link Commit})
     * @param commitTime commit time, microseconds since 2000-01-01 UTC
     * @param xid the source's transaction id
     */
    record Begin(long finalLsn, long commitTime, int xid) implements PgOutputMessage {
    }

    /**
     * {@code C}: the transaction opened by the last {@link Begin} ends.
     *
     * @param flags unused by PostgreSQL (0)
     * @param commitLsn the commit record's LSN
     * @param endLsn the end of the commit record: the position a replication origin's progress takes
     * @param commitTime commit time, microseconds since 2000-01-01 UTC
     */
    record Commit(int flags, long commitLsn, long endLsn, long commitTime) implements PgOutputMessage {
    }

    /** {@code O}: the transaction came to the source from another origin (cascaded replication). */
    record Origin(long lsn, String name) implements PgOutputMessage {
    }

    /**
     * {@code R}: the shape of a published table, sent before its first change in a session and again whenever it
     * changed (an {@code ALTER TABLE} on the source).
     *
     * @param oid the source's relation id, which the changes refer to
     * @param namespace the schema ({@code ""} for {@code pg_catalog})
     * @param name the table's name
     * @param replicaIdentity {@code relreplident}: {@code d} default (primary key), {@code n} nothing, {@code f} full,
     *        {@code i} index
     * @param columns the published columns (never generated columns) in the order of the tuples
     */
    record Relation(int oid, String namespace, String name, char replicaIdentity, List<Column> columns)
            implements PgOutputMessage {
        public Relation {
            columns = List.copyOf(columns);
        }

        /** Whether the old tuple of an update or delete carries every column ({@code REPLICA IDENTITY FULL}). */
        public boolean fullIdentity() {
            return replicaIdentity == 'f';
        }
    }

    /**
     * One column of a {@link Relation}.
     *
     * @param flags 1 when the column is part of the replica identity (every column under {@code FULL})
     * @param name the column's name
     * @param typeOid the source's type id
     * @param typeModifier {@code atttypmod}
     */
    record Column(int flags, String name, int typeOid, int typeModifier) {
        /** Whether the column is part of the replica identity key. */
        public boolean key() {
            return (flags & 1) != 0;
        }
    }

    /** {@code Y}: a user-defined type's name, sent before a {@link Relation} that uses it. */
    record Type(int oid, String namespace, String name) implements PgOutputMessage {
    }

    /** {@code I}: a new row. */
    record Insert(int relationOid, TupleData newTuple) implements PgOutputMessage {
    }

    /**
     * {@code U}: a changed row.
     *
     * @param oldKind {@code 'K'} (old key, sent when the key changed), {@code 'O'} (old row, under {@code
     *        REPLICA IDENTITY FULL}) or {@code 0} (no old tuple: the key is the new tuple's)
     * @param oldTuple the old key or row, {@code null} when {@code oldKind} is 0
     */
    record Update(int relationOid, char oldKind, TupleData oldTuple, TupleData newTuple) implements PgOutputMessage {
        public Update {
            if ((oldKind == 0) != (oldTuple == null)) {
                throw new IllegalArgumentException("an update's old tuple comes with its kind (K or O), or neither");
            }
        }
    }

    /**
     * {@code D}: a deleted row.
     *
     * @param oldKind {@code 'K'} (only the key columns are set) or {@code 'O'} (the whole row)
     */
    record Delete(int relationOid, char oldKind, TupleData oldTuple) implements PgOutputMessage {
    }

    /**
     * {@code T}: tables emptied by one {@code TRUNCATE}.
     *
     * @param options bit 1 {@code CASCADE}, bit 2 {@code RESTART IDENTITY}
     */
    record Truncate(int options, List<Integer> relationOids) implements PgOutputMessage {
        public Truncate {
            relationOids = List.copyOf(relationOids);
        }

        /** Whether the source's statement said {@code CASCADE}. */
        public boolean cascade() {
            return (options & 1) != 0;
        }

        /** Whether the source's statement said {@code RESTART IDENTITY}. */
        public boolean restartIdentity() {
            return (options & 2) != 0;
        }
    }

    /**
     * {@code M}: a logical decoding message ({@code pg_logical_emit_message}).
     *
     * @param flags 1 when transactional
     */
    record Message(int flags, long lsn, String prefix, byte[] content) implements PgOutputMessage {
        public Message {
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Message m && flags == m.flags && lsn == m.lsn && prefix.equals(m.prefix)
                    && Arrays.equals(content, m.content);
        }

        @Override
        public int hashCode() {
            return Objects.hash(flags, lsn, prefix) * 31 + Arrays.hashCode(content);
        }

        @Override
        public String toString() {
            return "Message[flags=" + flags + ", lsn=" + Lsn.format(lsn) + ", prefix=" + prefix + ", " + content.length
                    + " bytes]";
        }
    }
}
