package io.pgcopydb.internal.data;

import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.ConstraintDefinition;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the target already holds of a unit of work whose outcome is unknown: a retry after a lost acknowledgement,
 * or a resumed run after a crash between a commit and its journal line; and {@link #execute}, how such a unit writes
 * its statements there.
 */
final class TargetState {
    private static final Logger LOG = LoggerFactory.getLogger(TargetState.class);
    private static final String INDEX = """
            SELECT i.indisvalid FROM pg_catalog.pg_index i
            WHERE i.indexrelid = pg_catalog.to_regclass(?) AND i.indrelid = pg_catalog.to_regclass(?)""";
    private static final String CONSTRAINT = """
            SELECT 1 FROM pg_catalog.pg_constraint c
            WHERE c.conrelid = pg_catalog.to_regclass(?) AND c.conname = ?""";

    private TargetState() {
    }

    /** Runs {@code statements} on one new target connection of {@code context}, each logged. */
    static void execute(RunContext context, List<String> statements) throws SQLException {
        try (Connection target = context.openTarget()) {
            for (String sql : statements) {
                LOG.debug("{};", sql);
                Sessions.execute(target, sql);
            }
        }
    }

    /** Whether {@code index} exists, valid, on its table on the target. */
    static boolean indexExists(RunContext context, IndexDefinition index) throws SQLException {
        try (Connection c = context.openTarget(); PreparedStatement ps = c.prepareStatement(INDEX)) {
            ps.setString(1, index.name().quoted());
            ps.setString(2, index.table().quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Whether a constraint named like {@code constraint} exists on its table on the target. */
    static boolean constraintExists(RunContext context, ConstraintDefinition constraint) throws SQLException {
        return constraintExists(context, constraint.table(), constraint.name());
    }

    /** Whether a constraint named {@code name} exists on {@code table} on the target. */
    static boolean constraintExists(RunContext context, QualifiedName table, String name) throws SQLException {
        try (Connection c = context.openTarget(); PreparedStatement ps = c.prepareStatement(CONSTRAINT)) {
            ps.setString(1, table.quoted());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
