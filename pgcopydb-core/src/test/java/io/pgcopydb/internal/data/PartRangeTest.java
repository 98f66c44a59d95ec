package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The ranges the planner cuts a split table into, evaluated in Java: whatever the bounds read at plan time and the
 * number of parts wanted, every key value — inside those bounds or not — and NULL, and every page, falls in exactly
 * one range. ({@code PartRangeSqlIT} checks that the SQL rendering selects the same rows on a server.)
 */
class PartRangeTest {

    /** Bounds anywhere in the long range, extremes included: spans that do not fit a long are the hard case. */
    @Provide
    Arbitrary<long[]> bounds() {
        Arbitrary<Long> any = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-1000, 1000),
                Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, Long.MAX_VALUE - 1, Long.MAX_VALUE));
        return net.jqwik.api.Combinators.combine(any, any).as((a, b) -> new long[] {Math.min(a, b), Math.max(a, b)});
    }

    @Property(tries = 2000)
    void keyRangesCoverEveryValueAndNullExactlyOnce(@ForAll("bounds") long[] minMax,
            @ForAll @IntRange(min = 1, max = 64) int wanted, @ForAll long probe) {
        long min = minMax[0];
        long max = minMax[1];

        List<PartRange> ranges = PartRange.cut(min, max, wanted, true);

        java.math.BigInteger span = java.math.BigInteger.valueOf(max).subtract(java.math.BigInteger.valueOf(min))
                .add(java.math.BigInteger.ONE);
        assertThat(ranges).hasSize(span.min(java.math.BigInteger.valueOf(wanted)).intValueExact());
        assertThat(ranges.get(0).lower()).as("the first part is open below").isEmpty();
        assertThat(ranges.get(ranges.size() - 1).upper()).as("the last part is open above").isEmpty();
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).lower()).as("no gap, no overlap").isEqualTo(ranges.get(i - 1).upper());
            long cut = ranges.get(i).lower().getAsLong();
            assertThat(cut).as("every part holds values of [min, max]").isGreaterThan(min).isLessThanOrEqualTo(max);
            if (i > 1) {
                assertThat(cut).isGreaterThan(ranges.get(i - 1).lower().getAsLong());
            }
        }
        for (Long v : probes(min, max, probe, ranges)) {
            assertThat(ranges.stream().filter(r -> r.contains(v)).count()).as("%s in %s", v, ranges).isOne();
        }
        assertThat(ranges.stream().filter(r -> r.contains(null)).toList()).as("NULL keys: the first part only")
                .containsExactly(ranges.get(0));
    }

    @Property(tries = 1000)
    void pageRangesCoverEveryPageExactlyOnce(@ForAll @LongRange(min = 1, max = 4_294_967_296L) long pages,
            @ForAll @IntRange(min = 1, max = 64) int wanted,
            @ForAll @LongRange(min = 0, max = 4_294_967_295L) long probe) {
        List<PartRange> ranges = PartRange.cut(0, pages - 1, wanted, false);

        assertThat(ranges).hasSize((int) Math.min(wanted, pages));
        for (Long page : probes(0, pages - 1, probe, ranges)) {
            if (page != null && page >= 0) {
                assertThat(ranges.stream().filter(r -> r.contains(page)).count()).as("page %s in %s", page, ranges)
                        .isOne();
            }
        }
        assertThat(ranges).noneMatch(r -> r.contains(null));
        // Pages added after the plan (the heap grew) belong to the last part.
        assertThat(ranges.get(ranges.size() - 1).contains(pages + 1000)).isTrue();
        // About even: no part more than one page wider than another.
        List<Long> widths = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            widths.add(ranges.get(i).upper().orElse(pages) - ranges.get(i).lower().orElse(0));
        }
        assertThat(widths.stream().mapToLong(Long::longValue).max().getAsLong()
                - widths.stream().mapToLong(Long::longValue).min().getAsLong()).isLessThanOrEqualTo(1);
    }

    @Example
    void rendersKeyRangesWithTheirNulls() {
        List<PartRange> ranges = PartRange.cut(1, 300, 3, true);

        assertThat(ranges).extracting(r -> r.keyPredicate("\"id\"")).containsExactly(
                "(\"id\" < 101 OR \"id\" IS NULL)", "\"id\" >= 101 AND \"id\" < 201", "\"id\" >= 201");
        assertThat(new PartRange(OptionalLong.empty(), OptionalLong.empty(), false).keyPredicate("k"))
                .isEqualTo("k IS NOT NULL");
        assertThat(new PartRange(OptionalLong.of(-5), OptionalLong.empty(), true).keyPredicate("k"))
                .isEqualTo("(k >= -5 OR k IS NULL)");
    }

    @Example
    void rendersPageRangesAsTidRanges() {
        List<PartRange> ranges = PartRange.cut(0, 9, 3, false);

        assertThat(ranges).extracting(PartRange::pagePredicate).containsExactly(
                "ctid < '(3,0)'::pg_catalog.tid",
                "ctid >= '(3,0)'::pg_catalog.tid AND ctid < '(6,0)'::pg_catalog.tid",
                "ctid >= '(6,0)'::pg_catalog.tid");
    }

    /** The probe, the bounds read at plan time and one past them, each cut and its neighbours, the extremes. */
    private static List<Long> probes(long min, long max, long probe, List<PartRange> ranges) {
        List<Long> values = new ArrayList<>(List.of(probe, min, max, Long.MIN_VALUE, Long.MAX_VALUE, 0L));
        if (min > Long.MIN_VALUE) {
            values.add(min - 1);
        }
        if (max < Long.MAX_VALUE) {
            values.add(max + 1);
        }
        for (PartRange r : ranges) {
            r.lower().ifPresent(b -> {
                values.add(b);
                values.add(b - 1);
            });
        }
        values.add(null);
        return values;
    }
}
