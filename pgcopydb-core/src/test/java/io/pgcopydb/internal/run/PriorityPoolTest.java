package io.pgcopydb.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Waiting tasks run highest priority first, then in arrival order; plain runnables (continuations) first, as if of
 * the highest priority.
 */
class PriorityPoolTest {

    @Property(tries = 50)
    void waitingTasksRunHighestPriorityFirstThenInArrivalOrder(@ForAll @Size(max = 30) List<@LongRange(min = Long.MIN_VALUE, max = Long.MAX_VALUE - 1) Long> priorities)
            throws Exception {
        try (RunThreads threads = new RunThreads("test")) {
            PriorityPool pool = threads.priorityPool("p", 1);
            CountDownLatch gate = new CountDownLatch(1);
            CompletableFuture<Void> blocker = pool.supply(0, () -> {
                await(gate);
                return null;
            });
            List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < priorities.size(); i++) {
                int n = i;
                tasks.add(pool.supply(priorities.get(i), () -> {
                    ran.add(n);
                    return n;
                }));
            }
            CompletableFuture<Void> glue = CompletableFuture.runAsync(() -> ran.add(-1), pool);
            gate.countDown();
            CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            glue.get(10, TimeUnit.SECONDS);
            blocker.get(10, TimeUnit.SECONDS);

            List<Integer> expected = new ArrayList<>();
            expected.add(-1);
            List<Integer> byPriority = new ArrayList<>();
            for (int i = 0; i < priorities.size(); i++) {
                byPriority.add(i);
            }
            byPriority.sort(Comparator.comparing((Integer i) -> priorities.get(i)).reversed()
                    .thenComparing(i -> i));
            expected.addAll(byPriority);
            assertThat(ran).isEqualTo(expected);
        }
    }

    private static void await(CountDownLatch gate) {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
