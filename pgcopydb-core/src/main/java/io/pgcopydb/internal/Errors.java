package io.pgcopydb.internal;

import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Turns exceptions into the one-line message and SQLSTATE a report shows. */
final class Errors {
    private Errors() {
    }

    /** The SQLSTATE of the first SQLException in the cause chain. */
    static Optional<String> sqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException e && e.getSQLState() != null) {
                return Optional.of(e.getSQLState());
            }
        }
        return Optional.empty();
    }

    /** Server message with detail and hint when the server sent them, else the exception's message; one line. */
    static String message(Throwable t) {
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
