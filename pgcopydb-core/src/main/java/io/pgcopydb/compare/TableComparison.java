package io.pgcopydb.compare;

import io.pgcopydb.model.QualifiedName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The data comparison of one table or populated materialized view: row counts and checksums on each side.
 *
 * @param table the table
 * @param sourceRows rows on the source
 * @param targetRows rows on the target
 * @param identical whether the rows are the same multiset on both sides (count and checksum agree)
 * @param differingRanges where the rows differ, narrowed down by key ranges (e.g. {@code id >= 1000 AND id < 1100});
 *     empty when identical, or when the table has no integer key to narrow by
 * @param duration how long comparing it took, both sides together
 */
public record TableComparison(QualifiedName table, long sourceRows, long targetRows, boolean identical,
        List<String> differingRanges, Duration duration) {

    /** Copies the list. */
    public TableComparison {
        Objects.requireNonNull(table, "table");
        differingRanges = List.copyOf(differingRanges);
        Objects.requireNonNull(duration, "duration");
    }
}
