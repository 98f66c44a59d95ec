package io.pgcopydb.internal.data;

import java.io.IOException;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;
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
 */
final class CopyData {
    private static final Logger LOG = LoggerFactory.getLogger(CopyData.class);
    private static final Optional<Field> STREAM = streamField();

    private final PGStream stream;

    private CopyData(PGStream stream) {
        this.stream = stream;
    }

    /** The raw reader of {@code source}'s connection, when pgjdbc lets us reach its stream. */
    static Optional<CopyData> of(Connection source) {
        if (STREAM.isEmpty()) {
            return Optional.empty();
        }
        try {
            Object executor = source.unwrap(BaseConnection.class).getQueryExecutor();
            return executor instanceof QueryExecutorBase
                    ? Optional.of(new CopyData((PGStream) STREAM.get().get(executor))) : Optional.empty();
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

    private static Optional<Field> streamField() {
        try {
            Field f = QueryExecutorBase.class.getDeclaredField("pgStream");
            f.setAccessible(true);
            return f.getType() == PGStream.class ? Optional.of(f) : Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
