package io.pgcopydb.testkit.compare;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a {@link DatabaseComparison}: every difference found between a source and a target database,
 * one line each, and how many objects were compared.
 *
 * @param differences one line per difference, each naming the object and what differs (source value vs target
 *     value); empty when the databases are identical
 * @param tables tables whose rows were compared (present on either side)
 * @param materializedViews materialized views compared (present on either side)
 * @param sequences sequences compared (present on either side)
 * @param schemas non-system schemas whose owner and ACL were compared (present on either side)
 * @param largeObjects large objects compared (present on either side)
 * @param schemaDumpLines significant lines of the source's {@code pg_dump --schema-only}
 */
public record ComparisonResult(List<String> differences, int tables, int materializedViews, int sequences,
                               int schemas, int largeObjects, int schemaDumpLines) {

    /** At most this many differences are printed by {@link #toString()}; {@link #differences()} has them all. */
    public static final int MAX_PRINTED_DIFFERENCES = 50;

    /** Copies {@code differences} so the result stays immutable. */
    public ComparisonResult {
        differences = List.copyOf(Objects.requireNonNull(differences, "differences"));
    }

    /** Whether no difference was found. */
    public boolean isIdentical() {
        return differences.isEmpty();
    }

    /**
     * Fails the calling test when the databases differ.
     *
     * @throws AssertionError carrying {@link #toString()} when {@link #isIdentical()} is false
     */
    public void assertIdentical() {
        if (!isIdentical()) {
            throw new AssertionError(toString());
        }
    }

    /**
     * {@code identical (N tables, …)} when identical; otherwise a count followed by the differences, one per
     * line, cut after {@link #MAX_PRINTED_DIFFERENCES} lines.
     */
    @Override
    public String toString() {
        if (isIdentical()) {
            return "identical (" + tables + " tables, " + materializedViews + " materialized views, " + sequences
                    + " sequences, " + schemas + " schemas, " + largeObjects + " large objects, " + schemaDumpLines
                    + " schema dump lines)";
        }
        StringBuilder sb = new StringBuilder().append(differences.size())
                .append(differences.size() == 1 ? " difference:" : " differences:");
        differences.stream().limit(MAX_PRINTED_DIFFERENCES).forEach(d -> sb.append('\n').append(d));
        if (differences.size() > MAX_PRINTED_DIFFERENCES) {
            sb.append("\n... and ").append(differences.size() - MAX_PRINTED_DIFFERENCES).append(" more");
        }
        return sb.toString();
    }
}
