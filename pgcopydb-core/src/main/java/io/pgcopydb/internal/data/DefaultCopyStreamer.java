package io.pgcopydb.internal.data;

import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.stage.StageContext;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams {@code COPY … TO STDOUT} from the source into {@code COPY … FROM STDIN} on the target, as raw bytes: the
 * source's messages go on to the target from the buffer they were read into, many rows per write ({@link CopyForward}),
 * in the format the run chose for the table ({@link StageContext#copyFormat}: text, or binary where both servers read
 * every column's type the same way). A whole table is truncated and loaded with {@code FREEZE} in one target
 * transaction, so a retry or a failure never leaves half a table behind.
 */
public final class DefaultCopyStreamer implements CopyStreamer {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultCopyStreamer.class);
    private static final int BATCH_BYTES = 1 << 20;
    private static final long PROGRESS_NANOS = 500_000_000L;

    @Override
    public CopyResult copy(TablePart part, StageContext context, Progress progress) throws SQLException {
        SourceTable table = part.table();
        CopyFormat format = context.copyFormat(table);
        String copyOut = copyOutSql(part, format);
        String copyIn = copyInSql(part, format);
        try (Connection source = context.openSource(); Connection target = context.openTarget()) {
            target.setAutoCommit(false);
            if (part.isWholeTable()) {
                Sessions.execute(target, "TRUNCATE ONLY " + table.name().quoted());
            }
            LOG.debug("COPY {}", part);
            LOG.debug("{} -> {}", copyOut, copyIn);
            CopyResult result = pump(source, target, copyOut, copyIn, progress);
            target.commit();
            source.rollback();
            return result;
        }
    }

    /**
     * The source's {@code COPY … TO STDOUT} of {@code part} in {@code format}: the table itself when whole, a
     * {@code SELECT} of its rows matching the part's predicate otherwise.
     */
    static String copyOutSql(TablePart part, CopyFormat format) {
        SourceTable table = part.table();
        String options = format == CopyFormat.BINARY ? " (FORMAT binary)" : "";
        if (part.predicate().isEmpty()) {
            // COPY of a table reads only that table, never its children: the same rows as FROM ONLY, cheaper.
            return "COPY " + table.name().quoted() + columnsSuffix(table) + " TO STDOUT" + options;
        }
        String columns = table.columns().isEmpty() ? "" : table.quotedColumnList().substring(1,
                table.quotedColumnList().length() - 1);
        return "COPY (SELECT " + columns + " FROM ONLY " + table.name().quoted() + " WHERE "
                + part.predicate().get() + ") TO STDOUT" + options;
    }

    /**
     * The target's {@code COPY … FROM STDIN} of {@code part} in {@code format}; a whole table with {@code FREEZE}
     * (it was truncated in the same transaction), a split part without (other parts load the table too).
     */
    static String copyInSql(TablePart part, CopyFormat format) {
        SourceTable table = part.table();
        List<String> options = new ArrayList<>();
        if (format == CopyFormat.BINARY) {
            options.add("FORMAT binary");
        }
        if (part.isWholeTable()) {
            options.add("FREEZE");
        }
        return "COPY " + table.name().quoted() + columnsSuffix(table) + " FROM STDIN"
                + (options.isEmpty() ? "" : " WITH (" + String.join(", ", options) + ")");
    }

    private static String columnsSuffix(SourceTable table) {
        return table.columns().isEmpty() ? "" : " " + table.quotedColumnList();
    }

    static CopyResult pump(Connection source, Connection target, String copyOutSql, String copyInSql,
            Progress progress) throws SQLException {
        CopyOut out = source.unwrap(PGConnection.class).getCopyAPI().copyOut(copyOutSql);
        CopyIn in = null;
        CopyForward forward = null;
        try {
            in = target.unwrap(PGConnection.class).getCopyAPI().copyIn(copyInSql);
            forward = CopyForward.of(source, target).orElse(null);
            long bytes = forward != null ? forwarded(forward, out, in, progress) : rowByRow(out, in, progress);
            in.endCopy();
            // The rows the source's COPY sent, from its command tag: a binary COPY's header and trailer are
            // messages too, so counting messages would not give rows.
            long rows = out.getHandledRowCount();
            progress.update(rows, bytes);
            return new CopyResult(rows, bytes);
        } finally {
            if (forward != null && forward.midMessage()) {
                // The target waits for the rest of a message: its COPY cannot be cancelled in the protocol, only
                // its connection closed (the server then rolls the COPY back).
                LOG.debug("closing the target's connection: its COPY stopped inside a message");
                try {
                    target.abort(Runnable::run);
                } catch (SQLException e) {
                    LOG.debug("closing the target's connection: {}", e.getMessage());
                }
                in = null;
            }
            cancelIfActive(out, in);
        }
    }

    /** The CopyData straight from buffer to target ({@link CopyForward}); the other messages through pgjdbc. */
    private static long forwarded(CopyForward forward, CopyOut out, CopyIn in, Progress progress)
            throws SQLException {
        long nextProgress = System.nanoTime() + PROGRESS_NANOS;
        long messages = 0;
        long bytes = 0;
        while (true) {
            boolean moved;
            try {
                moved = forward.forward();
            } catch (CopyForward.TargetException e) {
                throw lost("sending COPY data to the target", e);
            } catch (IOException e) {
                throw lost("reading COPY data from the source", e);
            }
            if (!moved) {
                // Not CopyData: pgjdbc reads it — the end of the copy, a notice (then the next row), an error.
                byte[] row = out.readFromCopy();
                if (row == null) {
                    return bytes + forward.bytes();
                }
                in.writeToCopy(row, 0, row.length);
                messages++;
                bytes += row.length;
            }
            if (System.nanoTime() >= nextProgress) {
                progress.update(messages + forward.messages(), bytes + forward.bytes());
                nextProgress = System.nanoTime() + PROGRESS_NANOS;
            }
        }
    }

    /** pgjdbc's way, when its streams are out of reach: one array per row, gathered into 1 MB writes. */
    private static long rowByRow(CopyOut out, CopyIn in, Progress progress) throws SQLException {
        byte[] batch = new byte[BATCH_BYTES];
        int filled = 0;
        long messages = 0;
        long bytes = 0;
        long nextProgress = System.nanoTime() + PROGRESS_NANOS;
        byte[] row;
        while ((row = out.readFromCopy()) != null) {
            messages++;
            bytes += row.length;
            if (filled + row.length > batch.length) {
                in.writeToCopy(batch, 0, filled);
                filled = 0;
            }
            if (row.length > batch.length) {
                in.writeToCopy(row, 0, row.length);
            } else {
                System.arraycopy(row, 0, batch, filled, row.length);
                filled += row.length;
            }
            if ((messages & 1023) == 0 && System.nanoTime() >= nextProgress) {
                progress.update(messages, bytes);
                nextProgress = System.nanoTime() + PROGRESS_NANOS;
            }
        }
        if (filled > 0) {
            in.writeToCopy(batch, 0, filled);
        }
        return bytes;
    }

    /** As pgjdbc reports a lost connection: the retry logic knows it. */
    private static SQLException lost(String doing, IOException e) {
        return new PSQLException("An I/O error occurred while " + doing + ": " + e.getMessage(),
                PSQLState.CONNECTION_FAILURE, e);
    }

    /** A failed pump must not leave either side's COPY running: the connection would be unusable. */
    private static void cancelIfActive(CopyOut out, CopyIn in) throws SQLException {
        SQLException first = null;
        if (in != null && in.isActive()) {
            try {
                in.cancelCopy();
            } catch (SQLException e) {
                first = e;
            }
        }
        if (out.isActive()) {
            try {
                out.cancelCopy();
            } catch (SQLException e) {
                if (first != null) {
                    e.addSuppressed(first);
                }
                first = e;
            }
        }
        if (first != null && !(first.getMessage() != null && first.getMessage().contains("canceling"))) {
            LOG.debug("cancelling an interrupted COPY: {}", first.getMessage());
        }
    }
}
