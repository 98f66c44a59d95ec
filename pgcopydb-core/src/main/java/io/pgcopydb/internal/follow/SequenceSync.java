package io.pgcopydb.internal.follow;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Sets the target's sequences to the source's values at the end of a follow: logical decoding does not carry
 * sequences, so without this the target's next {@code nextval} would hand out values the source already used.
 */
final class SequenceSync {
    private SequenceSync() {
    }

    /** Copies the current value of each of {@code sequences}, read now on the source, in one target transaction. */
    static int sync(ConnectionSpec source, ConnectionSpec target, List<QualifiedName> sequences) throws SQLException {
        if (sequences.isEmpty()) {
            return 0;
        }
        try (Connection s = Sessions.connect(source, "follow sequences");
                Connection t = Sessions.connect(target, "follow sequences")) {
            t.setAutoCommit(false);
            try (PreparedStatement set = t.prepareStatement("SELECT pg_catalog.setval(?::regclass, ?, ?)")) {
                for (QualifiedName seq : sequences) {
                    try (Statement st = s.createStatement();
                            ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + seq.quoted())) {
                        rs.next();
                        set.setString(1, seq.quoted());
                        set.setLong(2, rs.getLong(1));
                        set.setBoolean(3, rs.getBoolean(2));
                        set.addBatch();
                    }
                }
                set.executeBatch();
            }
            t.commit();
        }
        return sequences.size();
    }
}
