package io.pgcopydb.internal.schema;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.Problem;
import io.pgcopydb.model.Side;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * With {@code skipExtensions} or {@code skipCollations} the restore does not create those objects, so the
 * objects that use them only restore when the target has them already. Checked before anything is written, so
 * the copy stops with the list of what is missing instead of failing half-way through pg_restore.
 */
final class TargetPrerequisites {
    private TargetPrerequisites() {
    }

    /**
     * @throws PgCopyException with one {@link ErrorCode#TARGET_PREREQUISITE_MISSING} problem per missing extension
     *     and collation, each with its remedy
     */
    static void check(Connection target, List<PreDataList.Extension> extensions,
            List<PreDataList.Collation> collations) throws SQLException {
        if (extensions.isEmpty() && collations.isEmpty()) {
            return;
        }
        List<Problem> problems = new ArrayList<>();
        Set<List<String>> present = rows(target, """
                SELECT e.extname, n.nspname
                FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace""");
        Set<String> names = new HashSet<>();
        present.forEach(row -> names.add(row.get(0)));
        for (PreDataList.Extension x : extensions) {
            if (!present.contains(List.of(x.name(), x.schema()))) {
                // Objects name an extension's types by schema: one in another schema does not do.
                problems.add(missing("skipExtensions()", "extension", x.name(),
                        names.contains(x.name()) ? x.name() + " (in schema " + x.schema() + ")" : x.name()));
            }
        }
        Set<List<String>> collationsPresent = rows(target, """
                SELECT n.nspname, c.collname
                FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace""");
        for (PreDataList.Collation c : collations) {
            if (!collationsPresent.contains(List.of(c.schema(), c.name()))) {
                problems.add(missing("skipCollations()", "collation", c.qualified(), c.qualified()));
            }
        }
        if (!problems.isEmpty()) {
            throw PgCopyException.builder(ErrorCode.TARGET_PREREQUISITE_MISSING, problems.stream()
                    .map(Problem::toString).collect(Collectors.joining("; ")))
                    .problems(problems).phase(Phase.PREPARE_SCHEMA).build();
        }
    }

    private static Problem missing(String option, String kind, String object, String described) {
        return Problem.of(ErrorCode.TARGET_PREREQUISITE_MISSING, option + ": the target lacks " + kind + " "
                + described, "create it on the target first, or drop " + option).withSide(Side.TARGET)
                .withObject(object);
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
