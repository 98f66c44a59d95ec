package io.pgcopydb.internal.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.compare.TableRanges.KeyRange;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Key ranges: parts cover every value once, narrowing pieces partition their range and get narrower. */
class TableRangesTest {

    @Property(tries = 500)
    void partsCoverEveryKeyValueExactlyOnce(@ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long min,
            @ForAll @LongRange(min = 0, max = 2_000_000_000L) long width, @ForAll @IntRange(min = 2, max = 256) int wanted,
            @ForAll @LongRange(min = -3_000_000_000L, max = 3_000_000_000L) long probe) {
        long max = min + width;

        List<String> parts = TableRanges.parts("id", min, max, wanted);

        assertThat(parts.size()).isLessThanOrEqualTo(wanted).isNotEqualTo(1);
        if (width + 1 >= wanted) {
            assertThat(parts).hasSize(wanted);
        }
        if (parts.isEmpty()) {
            assertThat(width).as("one part: the whole table").isZero();
            return;
        }
        for (long v : new long[] {min, max, probe, min - 1, max + 1, min + width / 2}) {
            assertThat(parts.stream().filter(p -> matches(p, BigInteger.valueOf(v))).count()).as("value %s in %s", v,
                    parts).isOne();
        }
    }

    @Property(tries = 500)
    void splitPiecesPartitionTheirRangeAndAreNarrower(@ForAll long min, @ForAll @LongRange(min = 1,
            max = Long.MAX_VALUE) long width, @ForAll long probe) {
        BigInteger from = BigInteger.valueOf(min);
        KeyRange range = new KeyRange(from, from.add(BigInteger.valueOf(width)).add(BigInteger.ONE));

        List<KeyRange> pieces = range.split();

        assertThat(pieces.get(0).from()).isEqualTo(range.from());
        assertThat(pieces.get(pieces.size() - 1).to()).isEqualTo(range.to());
        for (int i = 1; i < pieces.size(); i++) {
            assertThat(pieces.get(i).from()).isEqualTo(pieces.get(i - 1).to());
        }
        assertThat(pieces.size()).isBetween(2, 11);
        assertThat(pieces).allMatch(p -> p.width().compareTo(range.width()) < 0);
        BigInteger v = BigInteger.valueOf(probe);
        boolean inside = v.compareTo(range.from()) >= 0 && v.compareTo(range.to()) < 0;
        assertThat(pieces.stream().filter(p -> matches(p.sql("id").replace("\"", ""), v)).count())
                .isEqualTo(inside ? 1 : 0);
    }

    @Example
    void piecesHaveRoundBoundsAfterTheFirstCut() {
        List<KeyRange> top = KeyRange.covering(1, 100_000).split();

        assertThat(top).extracting(r -> r.display("id")).startsWith("id >= 1 AND id < 10000",
                "id >= 10000 AND id < 20000").endsWith("id >= 100000 AND id < 100001");
        assertThat(top.get(5).split()).extracting(r -> r.display("id")).hasSize(10)
                .contains("id >= 54000 AND id < 55000");
        assertThat(KeyRange.covering(1, 3).display("Key")).isEqualTo("\"Key\" >= 1 AND \"Key\" < 4");
        assertThat(KeyRange.covering(0, Long.MAX_VALUE).sql("id")).as("no bound past bigint")
                .isEqualTo("\"id\" >= 0");
    }

    /** Evaluates the predicate forms: {@code "id" < b}, {@code "id" >= a}, {@code "id" >= a AND "id" < b}. */
    private static boolean matches(String predicate, BigInteger v) {
        boolean ok = true;
        for (String clause : predicate.split(" AND ")) {
            String[] f = clause.split(" ");
            BigInteger bound = new BigInteger(f[2]);
            ok &= f[1].equals("<") ? v.compareTo(bound) < 0 : v.compareTo(bound) >= 0;
        }
        return ok;
    }
}
