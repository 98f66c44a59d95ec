package io.pgcopydb.internal.data;

import io.pgcopydb.model.SequenceValue;
import io.pgcopydb.stage.StageContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

/**
 * Sets every sequence on the target to its value in the source snapshot, in one transaction. pg_dump's
 * SEQUENCE SET entries belong to the data section, which is never restored, so this is the only way the
 * values arrive.
 */
public final class SequenceCopier {
    private SequenceCopier() {
    }

    public static void copy(List<SequenceValue> sequences, StageContext context) throws Exception {
        if (sequences.isEmpty()) {
            return;
        }
        try (Connection target = context.openTarget()) {
            target.setAutoCommit(false);
            try (PreparedStatement ps = target.prepareStatement("SELECT pg_catalog.setval(?::regclass, ?, ?)")) {
                for (SequenceValue s : sequences) {
                    ps.setString(1, s.name().quoted());
                    ps.setLong(2, s.lastValue());
                    ps.setBoolean(3, s.isCalled());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            target.commit();
        }
    }
}
