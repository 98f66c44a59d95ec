package io.pgcopydb.internal.data;

import io.pgcopydb.internal.postgres.SocketInput;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;
import org.postgresql.core.VisibleBufferedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's CopyData messages sent on to the target as they arrived, header and all, without being copied in this
 * process. A CopyData message has the same bytes whichever way it travels (type {@code 'd'}, length, payload), and
 * the server sends one per row: so the whole messages among the bytes already read from the source — in pgjdbc's
 * 8 kB read buffer, then in the 256 kB buffer of our socket beneath it ({@link SocketInput}) — go to the target's
 * stream in one write, straight from the buffer they were read into. A message cut by the end of a read waits in
 * our buffer for its rest and goes with the messages after it; one larger than that buffer, or whose start is in
 * pgjdbc's, goes in pieces, and only its 5-byte header may pass through pgjdbc's buffer.
 *
 * <p>Every other message (the end of the copy, a notice, an error) is left unread for pgjdbc's
 * {@code readFromCopy()}, which handles it as it always does: the connections' state stays pgjdbc's. Reaching the
 * streams takes reflection on pgjdbc's {@code QueryExecutorBase.pgStream}, {@code PGStream.pgInput} and
 * {@code VisibleBufferedInputStream.endIndex}: when that fails (another pgjdbc), {@link #of} is empty and the pump
 * goes through {@code readFromCopy()} and {@code writeToCopy()}. Over TLS or GSS encryption, pgjdbc does not read
 * our socket directly: only its own buffer is read in place.
 */
final class CopyForward {
    private static final Logger LOG = LoggerFactory.getLogger(CopyForward.class);
    private static final Optional<Field> STREAM = field(QueryExecutorBase.class, "pgStream", PGStream.class);
    private static final Optional<Field> INPUT = field(PGStream.class, "pgInput", VisibleBufferedInputStream.class);
    private static final Optional<Field> END = field(VisibleBufferedInputStream.class, "endIndex", int.class);
    private static final int HEADER = 5;
    private static final int CHUNK = 64 * 1024;

    private final VisibleBufferedInputStream input;
    private final SocketInput socket;
    private final OutputStream target;
    private final byte[] header = new byte[HEADER];
    private byte[] chunk;
    private long messages;
    private long bytes;
    /** The number of messages {@link #wholeMessagesEnd} found last. */
    private int wholeMessages;
    /** Payload bytes of the message being forwarded that the target has not had yet: 0 between messages. */
    private long owed;

    /**
     * Forwards what {@code input} (pgjdbc's buffer of the source) reads to {@code target}; {@code socket} is the
     * stream {@code input} reads from when it is ours, else null. Package-private for the tests.
     */
    CopyForward(VisibleBufferedInputStream input, SocketInput socket, OutputStream target) {
        this.input = input;
        this.socket = socket;
        this.target = target;
    }

    /** The forwarder from {@code source}'s COPY OUT to {@code target}'s COPY IN, when pgjdbc lets us reach both. */
    static Optional<CopyForward> of(Connection source, Connection target) {
        if (STREAM.isEmpty() || INPUT.isEmpty() || END.isEmpty()) {
            return Optional.empty();
        }
        try {
            PGStream from = stream(source);
            PGStream to = stream(target);
            if (from == null || to == null) {
                return Optional.empty();
            }
            VisibleBufferedInputStream input = (VisibleBufferedInputStream) INPUT.get().get(from);
            InputStream beneath = input.getWrapped();
            SocketInput socket = beneath instanceof SocketInput ? (SocketInput) beneath : null;
            return Optional.of(new CopyForward(input, socket, new TargetStream(to)));
        } catch (SQLException | ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("COPY data through pgjdbc's readFromCopy() and writeToCopy(): {}", e.toString());
            return Optional.empty();
        }
    }

    private static PGStream stream(Connection connection) throws SQLException, IllegalAccessException {
        Object executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
        return executor instanceof QueryExecutorBase ? (PGStream) STREAM.get().get(executor) : null;
    }

    /** Whether our socket's buffer is read in place too (pgjdbc reads our socket directly: no TLS, no GSS). */
    boolean readsSocketInPlace() {
        return socket != null;
    }

    /**
     * Whether the target's stream stopped inside a message (its header sent, not all its payload): a failure of the
     * source then leaves the target waiting for bytes that will never come, and a CopyFail sent after them would be
     * read as the rest of that payload. Such a target connection must be closed, not asked to cancel its COPY.
     */
    boolean midMessage() {
        return owed > 0;
    }

    /** CopyData messages forwarded so far. */
    long messages() {
        return messages;
    }

    /** Payload bytes forwarded so far (the messages' headers not counted). */
    long bytes() {
        return bytes;
    }

    /**
     * Forwards the CopyData messages at the head of the source's stream: the whole ones already read, or else the
     * first one once the rest of it is read too — in pieces as it arrives only when it is larger than our socket's
     * buffer, or when pgjdbc's buffer holds its start. Waits for the source only when nothing of it is buffered or
     * the first message is cut.
     *
     * @return false, having read nothing, when the next message is not CopyData: it is pgjdbc's to read
     * @throws IOException a source's or target's ({@link TargetException}) failure to read or write
     */
    boolean forward() throws IOException {
        byte[] buffer;
        int start;
        int end;
        boolean inPgjdbc = buffered() > 0;
        if (!inPgjdbc && socket != null) {
            fillSocket();
            buffer = socket.buffer();
            start = socket.position();
            end = socket.limit();
        } else {
            if (!inPgjdbc && input.peek() < 0) {
                throw sourceClosed();
            }
            inPgjdbc = true;
            buffer = input.getBuffer();
            start = input.getIndex();
            end = start + buffered();
        }
        if (buffer[start] != 'd') {
            return false;
        }
        int at = wholeMessagesEnd(buffer, start, end);
        while (at == start && !inPgjdbc && fitsInSocketBuffer(buffer, start, end)) {
            // The first message was cut by the end of the last read: its rest is read after it, and it goes with
            // the messages that follow. Sent in pieces, it was a write of its own to the target at each read of
            // the source: one more system call, one more small packet for the target's server to wake up for.
            if (socket.readMore() < 0) {
                throw sourceClosed();
            }
            start = socket.position();
            end = socket.limit();
            at = wholeMessagesEnd(buffer, start, end);
        }
        if (at > start) {
            target.write(buffer, start, at - start);
            consume(inPgjdbc, at - start);
            messages += wholeMessages;
            bytes += at - start - (long) HEADER * wholeMessages;
            return true;
        }
        // The first message is not whole here: its header, then its payload in pieces as it arrives.
        int length;
        if (end - start >= HEADER) {
            length = int4(buffer, start + 1);
            consume(inPgjdbc, HEADER);
        } else {
            input.read();
            length = input.readInt4();
        }
        if (length < 4) {
            throw new IOException("the source sent a CopyData message of length " + length);
        }
        header[0] = 'd';
        header[1] = (byte) (length >>> 24);
        header[2] = (byte) (length >>> 16);
        header[3] = (byte) (length >>> 8);
        header[4] = (byte) length;
        owed = length - 4;
        target.write(header, 0, HEADER);
        forwardPayload(length - 4);
        messages++;
        bytes += length - 4;
        return true;
    }

    /**
     * Where the whole CopyData messages from {@code start} end, before {@code end}: {@code start} when the first one
     * is not whole. Their number is left in {@link #wholeMessages}.
     */
    private int wholeMessagesEnd(byte[] buffer, int start, int end) {
        int at = start;
        int count = 0;
        while (end - at >= HEADER && buffer[at] == 'd') {
            int length = int4(buffer, at + 1);
            if (length < 4 || length > end - at - 1) {
                break;
            }
            at += 1 + length;
            count++;
        }
        wholeMessages = count;
        return at;
    }

    /** Whether the message starting at {@code start} of our socket's buffer, cut at {@code end}, fits in it whole. */
    private static boolean fitsInSocketBuffer(byte[] buffer, int start, int end) {
        if (end - start < HEADER) {
            return buffer.length >= HEADER;
        }
        int length = int4(buffer, start + 1);
        return length >= 4 && length < buffer.length;
    }

    /** Sends the next {@code left} bytes of the source on: those in pgjdbc's buffer, then those in our socket's. */
    private void forwardPayload(int left) throws IOException {
        while (left > 0) {
            int n;
            int buffered = buffered();
            if (buffered > 0) {
                n = Math.min(left, buffered);
                target.write(input.getBuffer(), input.getIndex(), n);
                input.skip(n);
            } else if (socket != null) {
                fillSocket();
                n = Math.min(left, socket.limit() - socket.position());
                target.write(socket.buffer(), socket.position(), n);
                socket.consume(n);
            } else {
                if (chunk == null) {
                    chunk = new byte[CHUNK];
                }
                n = input.read(chunk, 0, Math.min(left, CHUNK));
                if (n < 0) {
                    throw sourceClosed();
                }
                target.write(chunk, 0, n);
            }
            left -= n;
            owed = left;
        }
    }

    /** Reads more from our socket when its buffer is all read: waits for at least one byte. */
    private void fillSocket() throws IOException {
        if (socket.position() == socket.limit() && socket.refill() < 0) {
            throw sourceClosed();
        }
    }

    private static EOFException sourceClosed() {
        return new EOFException("the source closed the connection during COPY");
    }

    private void consume(boolean inPgjdbc, int n) throws IOException {
        if (inPgjdbc) {
            input.skip(n);
        } else {
            socket.consume(n);
        }
    }

    /** The bytes in pgjdbc's read buffer not read yet. */
    private int buffered() {
        try {
            return END.get().getInt(input) - input.getIndex();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int int4(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static Optional<Field> field(Class<?> owner, String name, Class<?> type) {
        try {
            Field f = owner.getDeclaredField(name);
            if (f.getType() != type) {
                return Optional.empty();
            }
            f.setAccessible(true);
            return Optional.of(f);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A failure to write to the target, told apart from the source's. */
    static final class TargetException extends IOException {
        private static final long serialVersionUID = 1L;

        TargetException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The target's pgjdbc stream, during its COPY IN: the bytes go out as they are. */
    private static final class TargetStream extends OutputStream {
        private final PGStream stream;

        TargetStream(PGStream stream) {
            this.stream = stream;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                stream.sendChar(b);
            } catch (IOException e) {
                throw new TargetException(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                stream.send(b, off, len);
            } catch (IOException e) {
                throw new TargetException(e);
            }
        }
    }
}
