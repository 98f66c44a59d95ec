package io.pgcopydb.internal.data;

import java.io.IOException;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;
import org.postgresql.core.VisibleBufferedInputStream;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's CopyData messages read straight into the caller's buffer. pgjdbc's {@code readFromCopy()} gives one
 * new array per message — a row — behind a lock: for a table of millions of rows that allocation, copy and lock are
 * most of the copier's own CPU. Here only a message that is CopyData is read, by pgjdbc's public stream methods,
 * into the batch the target receives; every other message (the end of the copy, a notice, an error) is left unread
 * for pgjdbc's {@code readFromCopy()}, which handles it as it always does — the connection's state stays pgjdbc's.
 * Reaching the stream takes reflection on pgjdbc's {@code QueryExecutorBase.pgStream}: when that fails (another
 * pgjdbc), {@link #of} is empty and the copy goes through {@code readFromCopy()} alone.
 *
 * <p>Rows are small (a {@code pgbench_accounts} row is 100 bytes) and pgjdbc's read buffer holds dozens of them:
 * {@link #drain} moves every whole CopyData message already in that buffer in one loop over its bytes, through
 * its public {@code getBuffer()}/{@code getIndex()}/{@code skip()} (reached by reflection on
 * {@code PGStream.pgInput}), instead of four calls into pgjdbc per row; without it, {@link #nextLength} and
 * {@link #read} do the same one message at a time.
 */
final class CopyData {
    private static final Logger LOG = LoggerFactory.getLogger(CopyData.class);
    private static final Optional<Field> STREAM = field(QueryExecutorBase.class, "pgStream", PGStream.class);
    private static final Optional<Field> INPUT = field(PGStream.class, "pgInput", VisibleBufferedInputStream.class);
    private static final int HEADER = 5;

    private final PGStream stream;
    private final VisibleBufferedInputStream input;
    private int drained;

    /** A reader of {@code input}, {@code stream}'s buffered input; package-private for the tests of {@link #drain}. */
    CopyData(PGStream stream, VisibleBufferedInputStream input) {
        this.stream = stream;
        this.input = input;
    }

    /** The raw reader of {@code source}'s connection, when pgjdbc lets us reach its stream. */
    static Optional<CopyData> of(Connection source) {
        if (STREAM.isEmpty()) {
            return Optional.empty();
        }
        try {
            Object executor = source.unwrap(BaseConnection.class).getQueryExecutor();
            if (!(executor instanceof QueryExecutorBase)) {
                return Optional.empty();
            }
            PGStream stream = (PGStream) STREAM.get().get(executor);
            VisibleBufferedInputStream input = INPUT.isPresent()
                    ? (VisibleBufferedInputStream) INPUT.get().get(stream) : null;
            return Optional.of(new CopyData(stream, input));
        } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
            LOG.debug("COPY data through pgjdbc's readFromCopy(): {}", e.toString());
            return Optional.empty();
        }
    }

    /**
     * The payload length of the next message when it is CopyData, its header then consumed; -1 when it is another
     * message, left unread.
     */
    int nextLength() throws SQLException {
        try {
            if (stream.peekChar() != 'd') {
                return -1;
            }
            stream.receiveChar();
            return stream.receiveInteger4() - 4;
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /**
     * Moves the payloads of the whole CopyData messages already buffered from the source, in order, into
     * {@code batch} from {@code filled}, as many as fit, and consumes them; waits for the source only when nothing
     * is buffered. Stops before any other message, a message not wholly buffered, or one that does not fit: those
     * are for {@link #nextLength}. {@link #drained()} tells how many messages moved.
     *
     * @return the new fill level of {@code batch}: {@code filled} when no message moved
     */
    int drain(byte[] batch, int filled) throws SQLException {
        drained = 0;
        if (input == null) {
            return filled;
        }
        try {
            if (input.peek() != 'd') {
                return filled;
            }
            // peek() left at least one byte buffered, so available() counts the buffered bytes alone.
            byte[] buffer = input.getBuffer();
            int start = input.getIndex();
            int end = start + input.available();
            int at = start;
            int fill = filled;
            int count = 0;
            while (end - at >= HEADER && buffer[at] == 'd') {
                int length = ((buffer[at + 1] & 0xFF) << 24 | (buffer[at + 2] & 0xFF) << 16
                        | (buffer[at + 3] & 0xFF) << 8 | (buffer[at + 4] & 0xFF)) - 4;
                if (length < 0 || length > end - at - HEADER || length > batch.length - fill) {
                    break;
                }
                System.arraycopy(buffer, at + HEADER, batch, fill, length);
                fill += length;
                at += HEADER + length;
                count++;
            }
            if (at > start) {
                input.skip(at - start);
            }
            drained = count;
            return fill;
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** Whether {@link #drain} can move messages (pgjdbc's read buffer was reachable). */
    boolean drains() {
        return input != null;
    }

    /** How many messages the last {@link #drain} moved. */
    int drained() {
        return drained;
    }

    /** Reads the payload whose length {@link #nextLength()} gave into {@code buffer} at {@code offset}. */
    void read(byte[] buffer, int offset, int length) throws SQLException {
        try {
            stream.receive(buffer, offset, length);
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** As pgjdbc reports a connection lost while reading: the retry logic knows it. */
    private static SQLException lost(IOException e) {
        return new PSQLException("An I/O error occurred while reading COPY data from the source: " + e.getMessage(),
                PSQLState.CONNECTION_FAILURE, e);
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
}
