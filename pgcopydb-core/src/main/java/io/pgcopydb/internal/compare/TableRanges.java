package io.pgcopydb.internal.compare;

import io.pgcopydb.model.QualifiedName;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Ranges of a table's integer key: the parts a large table is compared in ({@link #parts}) and the ranges
 * narrowing descends through ({@link KeyRange#split}). Pure.
 */
final class TableRanges {
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private TableRanges() {
    }

    /**
     * The key values {@code from} (inclusive) to {@code to} (exclusive). Bounds are {@link BigInteger}s so that
     * the range after {@code Long.MAX_VALUE} can be written; a bound outside the {@code bigint} range is left out of
     * the predicate, where it excludes nothing.
     *
     * @param from the first key value in the range
     * @param to the first key value after the range, greater than {@code from}
     */
    record KeyRange(BigInteger from, BigInteger to) {
        /** Checks that the range is not empty. */
        KeyRange {
            if (from.compareTo(to) >= 0) {
                throw new IllegalArgumentException("empty key range [" + from + ", " + to + ")");
            }
        }

        /** The range of every value from {@code min} to {@code max}, both included. */
        static KeyRange covering(long min, long max) {
            return new KeyRange(BigInteger.valueOf(min), BigInteger.valueOf(max).add(BigInteger.ONE));
        }

        /** How many key values the range holds. */
        BigInteger width() {
            return to.subtract(from);
        }

        /**
         * The range cut at the multiples of the largest power of ten below its width: ten or eleven ranges (two to
         * eleven for a range whose bounds are not multiples of it), each ten times narrower and with round bounds
         * after the first cut, so a person reads {@code id >= 54000 AND id < 55000}.
         */
        List<KeyRange> split() {
            BigInteger width = width();
            BigInteger unit = BigInteger.ONE;
            while (unit.multiply(BigInteger.TEN).compareTo(width) < 0) {
                unit = unit.multiply(BigInteger.TEN);
            }
            List<KeyRange> children = new ArrayList<>();
            BigInteger start = from;
            // The first multiple of unit above from.
            BigInteger next = from.subtract(from.mod(unit)).add(unit);
            while (next.compareTo(to) < 0) {
                children.add(new KeyRange(start, next));
                start = next;
                next = next.add(unit);
            }
            children.add(new KeyRange(start, to));
            return children;
        }

        /** The range as a SQL predicate on {@code column}, quoted. */
        String sql(String column) {
            return predicate(QualifiedName.quoteIdent(column));
        }

        /** The range as people read it: {@code id >= 1000 AND id < 1100}, the column quoted only when it must be. */
        String display(String column) {
            return predicate(PLAIN_IDENTIFIER.matcher(column).matches() ? column : QualifiedName.quoteIdent(column));
        }

        private String predicate(String column) {
            String lower = column + " >= " + from;
            return to.compareTo(LONG_MAX) > 0 ? lower : lower + " AND " + column + " < " + to;
        }
    }

    /**
     * {@code wanted} predicates (fewer when the range holds fewer values) on {@code column} that together cover
     * every value exactly once: the first part is {@code < b1}, the last {@code >= bn}, the others
     * {@code >= b AND < b'} — so a row outside {@code [min, max]} still lands in exactly one part. One part means
     * the whole table (no predicate): an empty list.
     */
    static List<String> parts(String column, long min, long max, int wanted) {
        BigInteger lo = BigInteger.valueOf(min);
        BigInteger span = BigInteger.valueOf(max).subtract(lo).add(BigInteger.ONE);
        int n = span.compareTo(BigInteger.valueOf(wanted)) < 0 ? span.intValue() : wanted;
        if (n <= 1) {
            return List.of();
        }
        String k = QualifiedName.quoteIdent(column);
        List<BigInteger> bounds = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            bounds.add(lo.add(span.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n))));
        }
        List<String> parts = new ArrayList<>();
        parts.add(k + " < " + bounds.get(0));
        for (int i = 1; i < n - 1; i++) {
            parts.add(k + " >= " + bounds.get(i - 1) + " AND " + k + " < " + bounds.get(i));
        }
        parts.add(k + " >= " + bounds.get(n - 2));
        return parts;
    }
}
