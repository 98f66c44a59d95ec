package io.pgcopydb.internal.preflight;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.Problem;
import io.pgcopydb.model.Side;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Columns the source compresses with lz4 ({@code COMPRESSION lz4}, PostgreSQL 14 and later) need a target server
 * built with lz4: pg_restore would otherwise stop halfway through the pre-data section. Checked before any write,
 * whatever the two versions are (servers of one version may be built differently).
 */
final class CompressionCheck {
    private static final int NAMED = 10;
    private static final String LZ4_COLUMNS = """
            SELECT format('%%I.%%I.%%I', n.nspname, c.relname, a.attname)
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE a.attcompression = 'l' AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'm')
              AND %s
            ORDER BY 1""".formatted(SourceFeatures.user("pg_class", "c.oid"));
    private static final String TARGET_HAS_LZ4 = "SELECT coalesce(bool_or('lz4' = ANY (enumvals)), false) "
            + "FROM pg_catalog.pg_settings WHERE name = 'default_toast_compression'";

    private CompressionCheck() {
    }

    /** One problem naming the lz4 columns when the target cannot hold them; none otherwise. */
    static List<Problem> problems(Connection source, int sourceMajor, Connection target) throws SQLException {
        if (sourceMajor < 14) {
            return List.of();
        }
        List<String> columns = new ArrayList<>();
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(LZ4_COLUMNS)) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        if (columns.isEmpty() || targetHasLz4(target)) {
            return List.of();
        }
        String named = String.join(", ", columns.subList(0, Math.min(NAMED, columns.size())))
                + (columns.size() > NAMED ? " and " + (columns.size() - NAMED) + " more" : "");
        return List.of(Problem.of(ErrorCode.TARGET_PREREQUISITE_MISSING, "the target server was built without lz4, "
                + "and the source compresses " + columns.size() + " column" + (columns.size() == 1 ? "" : "s")
                + " with it (" + named + ")", "set their compression to pglz on the source (ALTER TABLE … ALTER "
                + "COLUMN … SET COMPRESSION pglz), or copy into a server built with lz4").withSide(Side.TARGET)
                .withObject("column " + columns.get(0)));
    }

    private static boolean targetHasLz4(Connection target) throws SQLException {
        // Before 14 there is no such setting: the server has no column compression choice at all.
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery(TARGET_HAS_LZ4)) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
