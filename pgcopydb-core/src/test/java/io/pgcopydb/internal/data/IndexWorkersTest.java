package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class IndexWorkersTest {

    /**
     * Tables copied one after the other, each queuing builds of equal cost, and the builds then run one at a time:
     * none may go parallel while a table is copied, and of equal builds only the last of all does.
     */
    @Property
    void ofEqualBuildsOnlyTheLastAfterTheLastCopyGoesParallel(@ForAll @IntRange(min = 1, max = 6) int tables,
            @ForAll @IntRange(min = 0, max = 4) int buildsPerTable, @ForAll @LongRange(min = 0, max = 1000) long cost) {
        IndexWorkers workers = new IndexWorkers(tables, java.util.OptionalLong::empty);
        int parallel = 0;
        for (int t = 0; t < tables; t++) {
            assertThat(workers.parallel(cost)).as("a table is still being copied").isFalse();
            long[] costs = new long[buildsPerTable];
            Arrays.fill(costs, cost);
            workers.copied(costs);
        }
        int total = tables * buildsPerTable;
        for (int b = 0; b < total; b++) {
            boolean expected = b == total - 1;
            assertThat(workers.parallel(cost)).as("build %d of %d", b + 1, total).isEqualTo(expected);
            parallel += workers.<Boolean>counted(cost, () -> workers.parallel(cost)).get() ? 1 : 0;
        }
        assertThat(parallel).isEqualTo(total == 0 ? 0 : 1);
    }

    /**
     * Builds of any costs, all queued once the copies are done, started one after the other while the earlier ones
     * still run: a build goes parallel exactly when it costs more than everything else queued or running (or is the
     * only one left).
     */
    @Property
    void aBuildGoesParallelWhenItOutweighsAllTheOthersLeft(
            @ForAll @Size(min = 1, max = 8) List<@LongRange(min = 0, max = 10_000) Long> costs,
            @ForAll @IntRange(min = 0, max = 8) int endedBeforeEachStart) {
        IndexWorkers workers = new IndexWorkers(1, java.util.OptionalLong::empty);
        workers.copied(costs.stream().mapToLong(Long::longValue).toArray());
        List<Long> left = new ArrayList<>(costs);
        List<Runnable> running = new ArrayList<>();
        for (long cost : costs) {
            long others = left.stream().mapToLong(Long::longValue).sum() - cost;
            assertThat(workers.parallel(cost)).as("cost %d, others %d", cost, others)
                    .isEqualTo(left.size() == 1 || cost > others);
            // The build starts and runs; some of the earlier ones end meanwhile.
            running.add(() -> workers.counted(cost, () -> null).get());
            for (int e = 0; e < endedBeforeEachStart && running.size() > 1; e++) {
                running.remove(0).run();
                left.remove(0);
            }
        }
    }

    @Property
    void aFailingBuildStillCountsAsEnded(@ForAll @IntRange(min = 2, max = 5) int builds,
            @ForAll @LongRange(min = 0, max = 100) long cost) {
        IndexWorkers workers = new IndexWorkers(1, java.util.OptionalLong::empty);
        long[] costs = new long[builds];
        Arrays.fill(costs, cost);
        workers.copied(costs);
        for (int b = 0; b < builds - 1; b++) {
            try {
                workers.counted(cost, () -> {
                    throw new IllegalStateException("build failed");
                }).get();
            } catch (IllegalStateException expected) {
                // counted as ended all the same
            }
        }
        assertThat(workers.parallel(cost)).isTrue();
    }

    @Property
    void noBuildGoesParallelWhileATableIsCopied(@ForAll @LongRange(min = 0, max = 1_000_000) long cost) {
        IndexWorkers workers = new IndexWorkers(2, java.util.OptionalLong::empty);
        workers.copied(cost);
        assertThat(workers.parallel(cost)).isFalse();
        workers.copied();
        assertThat(workers.parallel(cost)).isTrue();
    }
}
