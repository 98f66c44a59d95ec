package io.pgcopydb.internal.follow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Calls a function on a replication object (a slot, an origin) that a session which just went away may still hold:
 * the server answers {@code 55006} (object in use) until the old backend or walsender notices, so the call is
 * retried every 200 ms for up to 10 s; any other error, or still in use after that, is thrown.
 */
final class WhileInUse {
    private static final int ATTEMPTS = 50;
    private static final long PAUSE_MILLIS = 200;

    private WhileInUse() {
    }

    /** Runs {@code SELECT function(?)} with {@code name} on {@code c}, retrying while the object is in use. */
    static void call(Connection c, String function, String name) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?)")) {
                ps.setString(1, name);
                ps.execute();
                return;
            } catch (SQLException e) {
                if (!"55006".equals(e.getSQLState()) || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for " + name + " to be released", e);
            }
        }
    }
}
