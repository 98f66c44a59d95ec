package io.pgcopydb.internal.follow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.postgresql.PGStatement;

/**
 * The prepared statements of one target table, one per shape (an insert of n rows, an update of these columns by
 * those): prepared on the server at their first use, and kept until the table's relation message changes. Bounded:
 * the least recently used statement is closed past {@value #MAX}. Not thread-safe.
 */
final class ApplyStatements implements AutoCloseable {
    private static final int MAX = 64;

    private final ApplyTable table;
    private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(16, 0.75f, true);

    ApplyStatements(ApplyTable table) {
        this.table = table;
    }

    ApplyTable table() {
        return table;
    }

    /** The statement of shape {@code key}, prepared from {@code sql} the first time. */
    PreparedStatement get(Connection target, String key, Supplier<String> sql) throws SQLException {
        PreparedStatement s = cache.get(key);
        if (s == null) {
            s = target.prepareStatement(sql.get());
            // A statement cached here is reused at once: prepare it on the server from its first execution.
            s.unwrap(PGStatement.class).setPrepareThreshold(1);
            cache.put(key, s);
            if (cache.size() > MAX) {
                var eldest = cache.entrySet().iterator();
                PreparedStatement old = eldest.next().getValue();
                eldest.remove();
                old.close();
            }
        }
        return s;
    }

    @Override
    public void close() {
        for (PreparedStatement s : cache.values()) {
            try {
                s.close();
            } catch (SQLException e) {
                // the session is going or gone: nothing to release
            }
        }
        cache.clear();
    }
}
