package io.pgcopydb.internal.schema;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * With {@code skipExtensions} or {@code skipCollations} the restore does not create those objects, so the
 * objects that use them only restore when the target has them already. Checked before anything is written, so
 * the copy stops with the list of what is missing instead of failing half-way through pg_restore.
 */
final class TargetPrerequisites {
    private TargetPrerequisites() {
    }

    /**
     * @throws PgCopyException {@link ErrorCode#PREFLIGHT_FAILED} naming every missing extension and collation
     *     and the remedy
     */
    static void check(Connection target, List<PreDataList.Extension> extensions,
            List<PreDataList.Collation> collations) throws SQLException {
        if (extensions.isEmpty() && collations.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        List<String> missingExtensions = missingExtensions(target, extensions);
        if (!missingExtensions.isEmpty()) {
            problems.add("skipExtensions: the target lacks extension(s) " + String.join(", ", missingExtensions)
                    + ": create them on the target first, or drop skipExtensions");
        }
        List<String> missingCollations = missingCollations(target, collations);
        if (!missingCollations.isEmpty()) {
            problems.add("skipCollations: the target lacks collation(s) " + String.join(", ", missingCollations)
                    + ": create them on the target first, or drop skipCollations");
        }
        if (!problems.isEmpty()) {
            throw PgCopyException.builder(ErrorCode.PREFLIGHT_FAILED, String.join("; ", problems))
                    .phase(Phase.PREPARE_SCHEMA).build();
        }
    }

    /** Each missing extension, or one that lives in another schema (objects name its types by schema). */
    static List<String> missingExtensions(Connection target, List<PreDataList.Extension> wanted)
            throws SQLException {
        Set<List<String>> present = rows(target, """
                SELECT e.extname, n.nspname
                FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace""");
        Set<String> names = new HashSet<>();
        present.forEach(row -> names.add(row.get(0)));
        List<String> missing = new ArrayList<>();
        for (PreDataList.Extension x : wanted) {
            if (!present.contains(List.of(x.name(), x.schema()))) {
                missing.add(names.contains(x.name()) ? x.name() + " (in schema " + x.schema() + ")" : x.name());
            }
        }
        return missing;
    }

    static List<String> missingCollations(Connection target, List<PreDataList.Collation> wanted)
            throws SQLException {
        Set<List<String>> present = rows(target, """
                SELECT n.nspname, c.collname
                FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace""");
        return wanted.stream().filter(c -> !present.contains(List.of(c.schema(), c.name())))
                .map(PreDataList.Collation::qualified).toList();
    }

    /** The rows of a two-column query. */
    private static Set<List<String>> rows(Connection c, String sql) throws SQLException {
        Set<List<String>> rows = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(List.of(rs.getString(1), rs.getString(2)));
            }
        }
        return rows;
    }
}
