package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class IndexSortMemoryTest {
    /** Tables whose sort the largest memory still merges in one pass: (1 GB)² / 264 kB, in bytes. */
    private static final long ONE_PASS_LIMIT = IndexSortMemory.MAX_KB * IndexSortMemory.MAX_KB
            / IndexSortMemory.PER_RUN_KB * 1024;

    /** Between 16 MB and 1 GB, never less for a bigger table. */
    @Property
    void boundedAndGrowingWithTheTable(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long bytes,
            @ForAll @LongRange(min = 0, max = 1L << 50) long more) {
        long kb = IndexSortMemory.kilobytes(bytes);
        assertThat(kb).isBetween(IndexSortMemory.MIN_KB, IndexSortMemory.MAX_KB);
        assertThat(IndexSortMemory.kilobytes(bytes + more)).isGreaterThanOrEqualTo(kb);
    }

    /**
     * Runs of the memory's size, each merged through 264 kB of it, fit one merge pass — and the memory is the
     * least that does, above the 16 MB floor.
     */
    @Property
    void justEnoughForOneMergePass(@ForAll @LongRange(min = 0, max = ONE_PASS_LIMIT) long bytes) {
        long kb = IndexSortMemory.kilobytes(bytes);
        double runsKb = bytes / 1024.0;
        double mergeOrder = (double) kb / IndexSortMemory.PER_RUN_KB;
        assertThat(runsKb / kb).as("runs of %s kB for %s bytes", kb, bytes).isLessThanOrEqualTo(mergeOrder);
        if (kb > IndexSortMemory.MIN_KB) {
            assertThat(runsKb / (kb - 1)).as("one kB less").isGreaterThan((kb - 1.0) / IndexSortMemory.PER_RUN_KB);
        }
    }

    @Test
    void theBenchmarksTablesGetTheFloorAndATerabyteTableHalfAGigabyte() {
        assertThat(IndexSortMemory.kilobytes(672L << 20)).isEqualTo(16L << 10);
        assertThat(IndexSortMemory.kilobytes(1L << 40)).isBetween(510L << 10, 530L << 10);
        assertThat(IndexSortMemory.kilobytes(Long.MAX_VALUE)).isEqualTo(1L << 20);
    }

    /** Spilling the runs is allowed only without a limit: never under one, whatever its size, nor when unknown. */
    @Property
    void spillsOnlyWithoutALimit(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long limitKb) {
        assertThat(IndexSortMemory.maySpill(OptionalLong.of(-1))).isTrue();
        assertThat(IndexSortMemory.maySpill(OptionalLong.empty())).isFalse();
        assertThat(IndexSortMemory.maySpill(OptionalLong.of(limitKb))).isFalse();
    }

    @Test
    void onlyBTreesSort() {
        assertThat(IndexSortMemory.sorts(index("CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)"))).isTrue();
        assertThat(IndexSortMemory.sorts(index("CREATE INDEX t_doc ON public.t USING gin (doc)"))).isFalse();
        assertThat(IndexSortMemory.sorts(index("CREATE INDEX t_geo ON public.t USING gist (p)"))).isFalse();
        assertThat(IndexSortMemory.sorts(index("CREATE INDEX t_h ON public.t USING hash (\"USING btree (\")")))
                .as("the words inside a key").isFalse();
    }

    private static IndexDefinition index(String sql) {
        return new IndexDefinition(1, new QualifiedName("public", "i"), new QualifiedName("public", "t"), 1, sql,
                Optional.empty());
    }
}
