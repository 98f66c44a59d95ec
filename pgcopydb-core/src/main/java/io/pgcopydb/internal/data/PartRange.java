package io.pgcopydb.internal.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The share of one part of a split table: the values {@code [lower, upper)} of its integer key or of its page
 * number, an absent bound meaning that side is open, and for a key whether its NULLs belong here. The planner cuts
 * a table into ranges that cover every value exactly once ({@link #cut}) — values outside the minimum and maximum
 * read at plan time and NULLs included — and the SQL of a part is written here only, from the range, so that what
 * a property test checks of the ranges is what the servers run.
 *
 * @param lower the smallest value of the range, or empty for no lower bound
 * @param upper the first value past the range, or empty for no upper bound
 * @param nulls whether rows whose key is NULL belong to this range
 */
record PartRange(OptionalLong lower, OptionalLong upper, boolean nulls) {

    /**
     * At most {@code wanted} ranges, fewer when {@code [min, max]} holds fewer values, of about the same width
     * over {@code [min, max]}: the first has no lower bound and, with {@code nullsInFirst}, the NULLs; the last has
     * no upper bound. So every value, inside {@code [min, max]} or not, and NULL is in exactly one range.
     */
    static List<PartRange> cut(long min, long max, int wanted, boolean nullsInFirst) {
        checkArgument(min <= max, "min %s is above max %s", min, max);
        checkArgument(wanted >= 1, "wanted must be >= 1, was %s", wanted);
        BigInteger low = BigInteger.valueOf(min);
        // Exact for any two longs: the span may not fit a long, and doubles would round bounds out of order.
        BigInteger span = BigInteger.valueOf(max).subtract(low).add(BigInteger.ONE);
        int n = span.compareTo(BigInteger.valueOf(wanted)) < 0 ? span.intValueExact() : wanted;
        List<PartRange> ranges = new ArrayList<>(n);
        OptionalLong previous = OptionalLong.empty();
        for (int i = 1; i <= n; i++) {
            OptionalLong bound = i == n ? OptionalLong.empty() : OptionalLong.of(low.add(span.multiply(
                    BigInteger.valueOf(i)).divide(BigInteger.valueOf(n))).longValueExact());
            ranges.add(new PartRange(previous, bound, i == 1 && nullsInFirst));
            previous = bound;
        }
        return ranges;
    }

    /** Validates that the bounds are in order. */
    PartRange {
        checkArgument(lower.isEmpty() || upper.isEmpty() || lower.getAsLong() <= upper.getAsLong(),
                "lower bound %s above upper bound %s", lower, upper);
    }

    /** Whether {@code value} ({@code null} for a NULL key) falls in this range. */
    boolean contains(Long value) {
        if (value == null) {
            return nulls;
        }
        return (lower.isEmpty() || value >= lower.getAsLong()) && (upper.isEmpty() || value < upper.getAsLong());
    }

    /** The condition selecting this range's rows by the key column {@code quotedColumn} (already quoted). */
    String keyPredicate(String quotedColumn) {
        String bounds = bounds(quotedColumn, Long::toString);
        if (!nulls) {
            return bounds.isEmpty() ? quotedColumn + " IS NOT NULL" : bounds;
        }
        return bounds.isEmpty() ? "true" : "(" + bounds + " OR " + quotedColumn + " IS NULL)";
    }

    /**
     * The condition selecting the rows on this range's pages: {@code ctid} compared with the first tuple of a page,
     * which PostgreSQL 14 and later answer with a TID range scan, reading those pages only.
     */
    String pagePredicate() {
        checkArgument(!nulls, "a row's ctid is never NULL");
        String bounds = bounds("ctid", page -> "'(" + page + ",0)'::pg_catalog.tid");
        return bounds.isEmpty() ? "true" : bounds;
    }

    private String bounds(String expression, java.util.function.LongFunction<String> literal) {
        String from = lower.isPresent() ? expression + " >= " + literal.apply(lower.getAsLong()) : "";
        String until = upper.isPresent() ? expression + " < " + literal.apply(upper.getAsLong()) : "";
        return from.isEmpty() || until.isEmpty() ? from + until : from + " AND " + until;
    }
}
