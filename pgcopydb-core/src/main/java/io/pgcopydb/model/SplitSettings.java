package io.pgcopydb.model;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * How the standard planner cuts large tables ({@code splitTablesLargerThan}, {@code splitMaxParts},
 * {@code skipSplitByCtid}), for listing a table's parts as a copy would cut it.
 *
 * @param largerThan tables larger than this many bytes (heap and TOAST) are split; 0 never splits
 * @param maxParts the most parts one table is cut into
 * @param byCtid whether a table without an integer key is cut by ranges of its pages
 */
public record SplitSettings(long largerThan, int maxParts, boolean byCtid) {
    /** Validates the values. */
    public SplitSettings {
        checkArgument(largerThan >= 0, "largerThan must be >= 0, was %s", largerThan);
        checkArgument(maxParts >= 1, "maxParts must be >= 1, was %s", maxParts);
    }
}
