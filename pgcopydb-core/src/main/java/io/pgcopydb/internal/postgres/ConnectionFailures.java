package io.pgcopydb.internal.postgres;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.Problem;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.Side;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Why a server could not be connected to, as a typed {@link Problem}: the code says what went wrong (unreachable,
 * unknown host, bad password, rejected, no password, no such database), the object names what to fix (the host,
 * the user, the database), and the message is the driver's or server's reason on one line, without its advice,
 * which the remedy replaces.
 */
public final class ConnectionFailures {
    private ConnectionFailures() {
    }

    /** The problem of connecting to {@code side} ({@code spec}) failing with {@code e}. */
    public static Problem problem(Side side, ConnectionSpec spec, SQLException e) {
        ErrorCode code = code(e);
        String object = switch (code) {
            case UNKNOWN_HOST -> spec.host();
            case SERVER_UNREACHABLE -> spec.host() + ":" + spec.port();
            case DATABASE_NOT_FOUND -> spec.database();
            default -> spec.user();
        };
        return Problem.of(code, "cannot connect to the " + side.label() + " " + spec.toUri() + ": " + reason(e),
                remedy(e)).withSide(side).withObject(object).withSqlState(e.getSQLState());
    }

    /** What kind of connection failure {@code e} is. */
    public static ErrorCode code(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("08004")) {
            return String.valueOf(e.getMessage()).contains("no password was provided") ? ErrorCode.PASSWORD_MISSING
                    : ErrorCode.CONNECTION_REJECTED;
        }
        if (state.startsWith("08") || state.isEmpty() || state.equals("57P03")) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof UnknownHostException) {
                    return ErrorCode.UNKNOWN_HOST;
                }
            }
            return ErrorCode.SERVER_UNREACHABLE;
        }
        return switch (state) {
            case "28P01" -> ErrorCode.AUTHENTICATION_FAILED;
            case "3D000" -> ErrorCode.DATABASE_NOT_FOUND;
            default -> ErrorCode.CONNECTION_REJECTED;
        };
    }

    /** What to do about {@code e}, by its SQLSTATE. */
    static String remedy(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (code(e) == ErrorCode.PASSWORD_MISSING) {
            return "give the password in the connection string or ~/.pgpass";
        }
        return switch (state) {
            case "28P01" -> "check the user name and password";
            case "28000" -> "check the user name, and that the server's pg_hba.conf admits it from this host";
            case "3D000" -> "check the database name, or create the database first";
            default -> state.startsWith("08")
                    ? "check the host and port, and that the server is running and accepts TCP/IP connections"
                    : "check the host, port, database name and credentials";
        };
    }

    /** The driver's or server's reason, one line, without pgjdbc's own advice. */
    static String reason(SQLException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("").strip();
        // pgjdbc appends its own advice to "Connection to host:port refused."; the remedy replaces it.
        int advice = m.indexOf(". Check that");
        if (advice >= 0) {
            m = m.substring(0, advice);
        }
        if (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        // "The connection attempt failed" says nothing; its cause does (unknown host, timeout).
        Throwable cause = e.getCause();
        if (cause != null && !(cause instanceof SQLException) && (m.isEmpty() || m.contains("attempt failed"))) {
            String detail = cause.getMessage() == null ? "" : cause.getMessage().lines().findFirst().orElse("");
            m = cause instanceof UnknownHostException ? "unknown host " + detail
                    : (m.isEmpty() ? "" : m + ": ") + cause.getClass().getSimpleName()
                            + (detail.isEmpty() ? "" : " " + detail);
        }
        return m.isEmpty() ? e.getClass().getSimpleName() : m;
    }
}
