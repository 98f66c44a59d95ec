package io.pgcopydb.internal.postgres;

import io.pgcopydb.ErrorCode;
import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Turns exceptions into the one-line message and SQLSTATE a report shows. */
public final class Errors {
    private Errors() {
    }

    /** An exception of ours whose message already says what happened and what to do: shown as is. */
    public interface Explained {
    }

    /** A worker could not import the run's snapshot: the session exporting it is gone. */
    static final class SnapshotLost extends SQLException implements Explained {
        private static final long serialVersionUID = 1L;

        SnapshotLost(String snapshot, SQLException cause) {
            super("the exported snapshot " + snapshot + " is gone: the source session holding it was lost, so this "
                    + "run cannot go on consistently; finish the copy with resume() and notConsistent()", "22023",
                    cause);
        }
    }

    /** Whether {@code t} (or its cause) is a worker failing to import the run's snapshot because it is gone. */
    public static boolean isSnapshotLost(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SnapshotLost) {
                return true;
            }
        }
        return false;
    }

    /**
     * The code of a run-time failure: {@link ErrorCode#SNAPSHOT_LOST} when the snapshot is gone,
     * {@link ErrorCode#CONNECTION_LOST} when the connection was lost (and retries, if any, did not bring it back),
     * else {@code otherwise}.
     */
    public static ErrorCode runCode(Throwable t, ErrorCode otherwise) {
        if (isSnapshotLost(t)) {
            return ErrorCode.SNAPSHOT_LOST;
        }
        return isConnectionLoss(t) ? ErrorCode.CONNECTION_LOST : otherwise;
    }

    /** The SQLSTATE of the first SQLException in the cause chain. */
    public static Optional<String> sqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException e && e.getSQLState() != null) {
                return Optional.of(e.getSQLState());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code t} says the connection itself was lost or refused (SQLSTATE class 08, an administrator's
     * {@code pg_terminate_backend} or a server shutdown, 57P01–57P03, or an I/O error below the driver): the kind
     * of failure a retry on a new connection can cure.
     */
    public static boolean isConnectionLoss(Throwable t) {
        Optional<String> state = sqlState(t);
        if (state.isPresent()) {
            return isConnectionLoss(state.get());
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code sqlState} says the connection was lost or refused (class 08, 57P01–57P03). */
    public static boolean isConnectionLoss(String sqlState) {
        return sqlState.startsWith("08") || sqlState.equals("57P01") || sqlState.equals("57P02")
                || sqlState.equals("57P03");
    }

    /** Whether {@code t} is a failure to reach or log in to a server: connection loss, bad credentials, no such database. */
    public static boolean isConnectionError(Throwable t) {
        Optional<String> state = sqlState(t);
        return isConnectionLoss(t) || state.filter(s -> s.startsWith("28") || s.equals("3D000")).isPresent();
    }

    /** Server message with detail and hint when the server sent them, else the exception's message; one line. */
    public static String message(Throwable t) {
        if (t instanceof Explained) {
            return oneLine(t.getMessage());
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PSQLException e && e.getServerErrorMessage() != null) {
                ServerErrorMessage m = e.getServerErrorMessage();
                StringBuilder sb = new StringBuilder(String.valueOf(m.getMessage()));
                if (m.getDetail() != null) {
                    sb.append(" (detail: ").append(m.getDetail()).append(')');
                }
                if (m.getHint() != null) {
                    sb.append(" (hint: ").append(m.getHint()).append(')');
                }
                return oneLine(sb.toString());
            }
        }
        String m = t.getMessage();
        return oneLine(m == null ? t.getClass().getSimpleName() : m);
    }

    private static String oneLine(String s) {
        return SqlText.cap(s, 2000);
    }
}
