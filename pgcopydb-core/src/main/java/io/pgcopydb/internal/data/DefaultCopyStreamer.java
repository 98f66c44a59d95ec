package io.pgcopydb.internal.data;

import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.stage.StageContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams {@code COPY … TO STDOUT} from the source into {@code COPY … FROM STDIN} on the target, as raw bytes, gathered
 * into 1 MB writes (read without a copy per row, many rows per loop: {@link CopyData}), in the format the run chose for
 * the table ({@link StageContext#copyFormat}: text, or binary where both servers read every column's type the same
 * way). A whole table is truncated and loaded with {@code FREEZE} in one target transaction, so a retry or a failure
 * never leaves half a table behind.
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
        try {
            in = target.unwrap(PGConnection.class).getCopyAPI().copyIn(copyInSql);
            CopyData raw = CopyData.of(source).orElse(null);
            byte[] batch = new byte[BATCH_BYTES];
            int filled = 0;
            long messages = 0;
            long bytes = 0;
            long nextProgress = System.nanoTime() + PROGRESS_NANOS;
            long checked = 0;
            while (true) {
                if (messages - checked >= 1024) {
                    checked = messages;
                    if (System.nanoTime() >= nextProgress) {
                        progress.update(messages, bytes);
                        nextProgress = System.nanoTime() + PROGRESS_NANOS;
                    }
                }
                if (raw != null) {
                    int before = filled;
                    filled = raw.drain(batch, filled);
                    if (raw.drained() > 0) {
                        messages += raw.drained();
                        bytes += filled - before;
                        continue;
                    }
                }
                // One message: not CopyData, not wholly buffered yet, or not fitting the batch.
                int length = raw == null ? -1 : raw.nextLength();
                byte[] row = null;
                if (length < 0) {
                    // Not CopyData (or no raw reader): pgjdbc reads it — the end of the copy, a notice, an error.
                    row = out.readFromCopy();
                    if (row == null) {
                        break;
                    }
                    length = row.length;
                }
                messages++;
                bytes += length;
                if (filled + length > batch.length) {
                    in.writeToCopy(batch, 0, filled);
                    filled = 0;
                }
                if (row == null && length > batch.length) {
                    row = new byte[length];
                    raw.read(row, 0, length);
                }
                if (length > batch.length) {
                    in.writeToCopy(row, 0, length);
                } else {
                    if (row != null) {
                        System.arraycopy(row, 0, batch, filled, length);
                    } else {
                        raw.read(batch, filled, length);
                    }
                    filled += length;
                }
            }
            if (filled > 0) {
                in.writeToCopy(batch, 0, filled);
            }
            in.endCopy();
            // The rows the source's COPY sent, from its command tag: a binary COPY's header and trailer are
            // messages too, so counting messages would not give rows.
            long rows = out.getHandledRowCount();
            progress.update(rows, bytes);
            return new CopyResult(rows, bytes);
        } finally {
            cancelIfActive(out, in);
        }
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
