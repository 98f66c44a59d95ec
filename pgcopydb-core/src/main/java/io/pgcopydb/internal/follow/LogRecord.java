package io.pgcopydb.internal.follow;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * One record of the change log on disk: {@code [length:int32][crc32c:int32][lsn:int64][message:length bytes]},
 * big-endian, the checksum over the LSN and the message. Pure functions; a record is valid only whole and with its
 * checksum matching, so a write cut short by a crash, or a flipped bit, is seen as the end of the log.
 */
final class LogRecord {
    /** Length, checksum and LSN. */
    static final int HEADER = 16;
    /** Larger than any message PostgreSQL can send (a row is at most 1 GB); a larger length is garbage. */
    static final int MAX_MESSAGE = (1 << 30) + (1 << 20);

    private LogRecord() {
    }

    /** The bytes of {@code change} as a record. */
    static ByteBuffer encode(StoredChange change) {
        byte[] message = change.message();
        ByteBuffer b = ByteBuffer.allocate(HEADER + message.length);
        b.putInt(message.length).putInt(crc(change.lsn(), message)).putLong(change.lsn()).put(message);
        return b.flip();
    }

    /** Writes {@code change} as a record into {@code out}, which must have room for {@link #size}. */
    static void encodeInto(StoredChange change, ByteBuffer out) {
        byte[] message = change.message();
        out.putInt(message.length).putInt(crc(change.lsn(), message)).putLong(change.lsn()).put(message);
    }

    /** The bytes {@code change} takes on disk. */
    static int size(StoredChange change) {
        return HEADER + change.message().length;
    }

    /**
     * Reads the record at {@code in}'s position, advancing past it; empty (position unchanged) when the bytes left
     * do not hold a whole, valid record: the log ends there.
     */
    static Optional<StoredChange> decode(ByteBuffer in) {
        int start = in.position();
        if (in.remaining() < HEADER) {
            return Optional.empty();
        }
        int length = in.getInt(start);
        int crc = in.getInt(start + 4);
        long lsn = in.getLong(start + 8);
        if (length <= 0 || length > MAX_MESSAGE || in.remaining() - HEADER < length) {
            return Optional.empty();
        }
        byte[] message = new byte[length];
        in.get(start + HEADER, message);
        if (crc(lsn, message) != crc) {
            return Optional.empty();
        }
        in.position(start + HEADER + length);
        return Optional.of(new StoredChange(lsn, message));
    }

    /** The message length a header announces, or -1 when it cannot be a record's. */
    static int announcedLength(ByteBuffer header) {
        int length = header.getInt(0);
        return length <= 0 || length > MAX_MESSAGE ? -1 : length;
    }

    static int crc(long lsn, byte[] message) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, lsn));
        crc.update(message);
        return (int) crc.getValue();
    }
}
