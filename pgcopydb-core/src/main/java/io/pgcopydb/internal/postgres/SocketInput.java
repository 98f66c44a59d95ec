package io.pgcopydb.internal.postgres;

import java.io.IOException;
import java.io.InputStream;

/**
 * A socket's input read in 256 kB gulps, whose buffer the COPY pump may read in place. pgjdbc reads through it as
 * through any buffered stream (its own 8 kB buffer refills from here, one memory copy instead of one system call);
 * the pump ({@code io.pgcopydb.internal.data.CopyForward}) reads the bytes of whole CopyData messages straight from
 * {@link #buffer()} between {@link #position()} and {@link #limit()}, sends them on and {@link #consume consumes}
 * them, {@link #refill refills} the buffer when it is empty, and {@link #readMore reads more} after a message cut by
 * the end of a read — so a COPY's rows are never copied in this process.
 * Not thread-safe: pgjdbc reads a connection from one thread at a time, and so does the pump.
 */
public final class SocketInput extends InputStream {
    /**
     * The most the JDK's socket reads or writes of a heap array move per system call ({@code NioSocketImpl}'s
     * temporary direct buffer). {@link #readMore} reads no more than makes the unread bytes this many, so that the
     * whole messages among them go out in one write: with the bytes kept, a full gulp made a write of 128 kB and
     * another of the few bytes beyond it.
     */
    static final int JDK_GULP = 128 * 1024;

    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;

    /** Reads {@code in} through a buffer of {@code size} bytes (public for the pump's tests). */
    public SocketInput(InputStream in, int size) {
        this.in = in;
        this.buffer = new byte[size];
    }

    /** The buffer; the unread bytes are those from {@link #position()} to {@link #limit()}. */
    public byte[] buffer() {
        return buffer;
    }

    /** Where the unread bytes of {@link #buffer()} start. */
    public int position() {
        return position;
    }

    /** Where the unread bytes of {@link #buffer()} end. */
    public int limit() {
        return limit;
    }

    /** Marks the first {@code n} unread bytes of {@link #buffer()} read. */
    public void consume(int n) {
        if (n < 0 || n > limit - position) {
            throw new IllegalArgumentException("cannot consume " + n + " of " + (limit - position) + " bytes");
        }
        position += n;
    }

    /**
     * Reads from the socket into {@link #buffer()} once its bytes are all read (and only then): waits for at least one
     * byte.
     *
     * @return the bytes read, -1 at the end of the stream
     */
    public int refill() throws IOException {
        if (position < limit) {
            throw new IllegalStateException((limit - position) + " bytes are still unread");
        }
        position = 0;
        limit = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n > 0) {
            limit = n;
        }
        return n;
    }

    /**
     * Reads more from the socket after the unread bytes, moving them to the front of {@link #buffer()} first: waits
     * for at least one byte, and reads no more than makes the unread bytes {@value #JDK_GULP} when they are fewer.
     * For a reader in place that needs more than the unread bytes to go on (the rest of a message cut by the end of
     * the last read), so that it gets them in one piece.
     *
     * @return the bytes read, -1 at the end of the stream
     * @throws IllegalStateException when the unread bytes fill the buffer: there is no room to read into
     */
    public int readMore() throws IOException {
        int unread = limit - position;
        if (unread == buffer.length) {
            throw new IllegalStateException("the buffer is full of unread bytes");
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, unread);
            position = 0;
            limit = unread;
        }
        int room = buffer.length - limit;
        int n = in.read(buffer, limit, unread < JDK_GULP ? Math.min(room, JDK_GULP - unread) : room);
        if (n > 0) {
            limit += n;
        }
        return n;
    }

    @Override
    public int read() throws IOException {
        if (position == limit && refill() <= 0) {
            return -1;
        }
        return buffer[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position == limit) {
            if (len >= buffer.length) {
                // As BufferedInputStream: a read as large as the buffer skips it.
                return in.read(b, off, len);
            }
            if (refill() <= 0) {
                return -1;
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        if (position == limit) {
            return in.skip(n);
        }
        int skipped = (int) Math.min(n, limit - position);
        position += skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        int buffered = limit - position;
        int more = in.available();
        return buffered > Integer.MAX_VALUE - more ? Integer.MAX_VALUE : buffered + more;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
