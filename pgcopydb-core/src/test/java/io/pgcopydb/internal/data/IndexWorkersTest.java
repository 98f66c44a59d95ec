package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class IndexWorkersTest {

    /**
     * Tables copied one after the other, each queuing its builds, and the builds then run one at a time: a build is
     * alone exactly when every table is copied and it is the last build of all.
     */
    @Property
    void onlyTheLastBuildAfterTheLastCopyIsAlone(@ForAll @IntRange(min = 1, max = 6) int tables,
            @ForAll @IntRange(min = 0, max = 4) int buildsPerTable) {
        IndexWorkers workers = new IndexWorkers(tables);
        int alone = 0;
        for (int t = 0; t < tables; t++) {
            assertThat(workers.alone()).as("a table is still being copied").isFalse();
            workers.copied(buildsPerTable);
        }
        int total = tables * buildsPerTable;
        for (int b = 0; b < total; b++) {
            boolean expected = b == total - 1;
            assertThat(workers.alone()).as("build %d of %d", b + 1, total).isEqualTo(expected);
            alone += workers.<Boolean>counted(workers::alone).get() ? 1 : 0;
        }
        assertThat(alone).isEqualTo(total == 0 ? 0 : 1);
    }

    @Property
    void aFailingBuildStillCountsAsEnded(@ForAll @IntRange(min = 2, max = 5) int builds) {
        IndexWorkers workers = new IndexWorkers(1);
        workers.copied(builds);
        for (int b = 0; b < builds - 1; b++) {
            try {
                workers.counted(() -> {
                    throw new IllegalStateException("build failed");
                }).get();
            } catch (IllegalStateException expected) {
                // counted as ended all the same
            }
        }
        assertThat(workers.alone()).isTrue();
    }
}
