package io.pgcopydb.internal.follow;

import io.pgcopydb.internal.follow.PgOutputMessage.Begin;
import io.pgcopydb.internal.follow.PgOutputMessage.Column;
import io.pgcopydb.internal.follow.PgOutputMessage.Commit;
import io.pgcopydb.internal.follow.PgOutputMessage.Delete;
import io.pgcopydb.internal.follow.PgOutputMessage.Insert;
import io.pgcopydb.internal.follow.PgOutputMessage.Message;
import io.pgcopydb.internal.follow.PgOutputMessage.Origin;
import io.pgcopydb.internal.follow.PgOutputMessage.Relation;
import io.pgcopydb.internal.follow.PgOutputMessage.Truncate;
import io.pgcopydb.internal.follow.PgOutputMessage.Type;
import io.pgcopydb.internal.follow.PgOutputMessage.Update;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes pgoutput messages of protocol version 1 (without {@code streaming}: no transaction ids inside the
 * changes) into {@link PgOutputMessage}s. Pure: no I/O, no state; thread-safe. Texts are read as UTF-8 (the
 * replication session's client encoding).
 */
public final class PgOutputDecoder {

    private PgOutputDecoder() {
    }

    /**
     * Decodes one message.
     *
     * @throws IllegalArgumentException naming the message type and the problem when the bytes are not a pgoutput
     *         version 1 message (truncated, an unknown type, binary tuple data, trailing bytes)
     */
    public static PgOutputMessage decode(byte[] message) {
        ByteBuffer in = ByteBuffer.wrap(message);
        char type = (char) in.get();
        try {
            PgOutputMessage decoded = switch (type) {
                case 'B' -> new Begin(in.getLong(), in.getLong(), in.getInt());
                case 'C' -> new Commit(in.get(), in.getLong(), in.getLong(), in.getLong());
                case 'O' -> new Origin(in.getLong(), string(in));
                case 'R' -> relation(in);
                case 'Y' -> new Type(in.getInt(), string(in), string(in));
                case 'I' -> insert(in);
                case 'U' -> update(in);
                case 'D' -> delete(in);
                case 'T' -> truncate(in);
                case 'M' -> logicalMessage(in);
                default -> throw new IllegalArgumentException("not a pgoutput message: unknown type '" + type
                        + "' (0x" + Integer.toHexString(type) + "); streamed transactions (protocol 2 with streaming"
                        + " on) and two-phase messages are not supported: start replication with proto_version 1");
            };
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("pgoutput message '" + type + "' has " + in.remaining()
                        + " bytes after its end: not protocol version 1");
            }
            return decoded;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("pgoutput message '" + type + "' is truncated (" + message.length
                    + " bytes)", e);
        }
    }

    private static Relation relation(ByteBuffer in) {
        int oid = in.getInt();
        String namespace = string(in);
        String name = string(in);
        char identity = (char) in.get();
        int count = Short.toUnsignedInt(in.getShort());
        List<Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            columns.add(new Column(in.get(), string(in), in.getInt(), in.getInt()));
        }
        return new Relation(oid, namespace, name, identity, columns);
    }

    private static Insert insert(ByteBuffer in) {
        int oid = in.getInt();
        expect(in, 'N', "insert");
        return new Insert(oid, tuple(in));
    }

    private static Update update(ByteBuffer in) {
        int oid = in.getInt();
        char marker = (char) in.get();
        if (marker == 'K' || marker == 'O') {
            TupleData old = tuple(in);
            expect(in, 'N', "update");
            return new Update(oid, marker, old, tuple(in));
        }
        if (marker != 'N') {
            throw new IllegalArgumentException("pgoutput update: expected 'K', 'O' or 'N', found '" + marker + "'");
        }
        return new Update(oid, (char) 0, null, tuple(in));
    }

    private static Delete delete(ByteBuffer in) {
        int oid = in.getInt();
        char marker = (char) in.get();
        if (marker != 'K' && marker != 'O') {
            throw new IllegalArgumentException("pgoutput delete: expected 'K' or 'O', found '" + marker + "'");
        }
        return new Delete(oid, marker, tuple(in));
    }

    private static Truncate truncate(ByteBuffer in) {
        int count = in.getInt();
        int options = in.get();
        if (count < 0 || count > in.remaining() / 4) {
            throw new IllegalArgumentException("pgoutput truncate: " + count + " relations do not fit the message");
        }
        List<Integer> oids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            oids.add(in.getInt());
        }
        return new Truncate(options, oids);
    }

    private static Message logicalMessage(ByteBuffer in) {
        int flags = in.get();
        long lsn = in.getLong();
        String prefix = string(in);
        byte[] content = new byte[length(in, "logical message")];
        in.get(content);
        return new Message(flags, lsn, prefix, content);
    }

    private static TupleData tuple(ByteBuffer in) {
        int count = Short.toUnsignedInt(in.getShort());
        TupleData.Builder tuple = TupleData.builder(count);
        for (int i = 0; i < count; i++) {
            char kind = (char) in.get();
            switch (kind) {
                case 'n' -> tuple.nullValue(i);
                case 'u' -> tuple.unchanged(i);
                case 't' -> {
                    int length = length(in, "column value");
                    tuple.text(i, new String(in.array(), in.position(), length, StandardCharsets.UTF_8));
                    in.position(in.position() + length);
                }
                case 'b' -> throw new IllegalArgumentException("pgoutput column " + (i + 1) + " is in binary form"
                        + " ('b'), which the applier does not read: start replication without the binary option");
                default -> throw new IllegalArgumentException("pgoutput column " + (i + 1) + ": unknown kind '"
                        + kind + "' (expected n, u or t)");
            }
        }
        return tuple.build();
    }

    private static int length(ByteBuffer in, String what) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("pgoutput " + what + " of " + length + " bytes does not fit the"
                    + " message (" + in.remaining() + " bytes left)");
        }
        return length;
    }

    private static void expect(ByteBuffer in, char marker, String message) {
        char found = (char) in.get();
        if (found != marker) {
            throw new IllegalArgumentException("pgoutput " + message + ": expected '" + marker + "', found '" + found
                    + "'");
        }
    }

    /** A NUL-terminated string. */
    private static String string(ByteBuffer in) {
        int start = in.position();
        int end = start;
        while (end < in.limit() && in.get(end) != 0) {
            end++;
        }
        if (end == in.limit()) {
            throw new BufferUnderflowException();
        }
        in.position(end + 1);
        return new String(in.array(), start, end - start, StandardCharsets.UTF_8);
    }
}
