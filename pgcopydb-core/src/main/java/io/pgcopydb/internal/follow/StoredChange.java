package io.pgcopydb.internal.follow;

import java.util.Arrays;

/**
 * One pgoutput message as it came from the replication slot, kept in the work directory's change log until it is
 * applied: the WAL position the server gave it and the message's bytes, undecoded (the first byte is the message
 * type: {@code B}egin, {@code C}ommit, {@code R}elation, {@code I}nsert, {@code U}pdate, {@code D}elete,
 * {@code T}runcate, {@code Y} type, {@code O}rigin, {@code M}essage). The receiver writes them, the applier reads
 * them; this record is all the two share.
 *
 * @param lsn the message's WAL position as the server reported it ({@code XLogData}'s start)
 * @param message the pgoutput message's bytes; not copied, do not change them
 */
public record StoredChange(long lsn, byte[] message) {

    public StoredChange {
        if (message == null || message.length == 0) {
            throw new IllegalArgumentException("a stored change needs a message of at least one byte");
        }
    }

    /** The message's type, its first byte ({@code 'B'}, {@code 'C'}, {@code 'I'}, …). */
    public char type() {
        return (char) message[0];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredChange that && lsn == that.lsn && Arrays.equals(message, that.message);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(lsn) * 31 + Arrays.hashCode(message);
    }

    @Override
    public String toString() {
        return "StoredChange[" + type() + " at " + Lsn.format(lsn) + ", " + message.length + " bytes]";
    }
}
