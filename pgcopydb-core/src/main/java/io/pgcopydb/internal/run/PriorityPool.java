package io.pgcopydb.internal.run;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A fixed pool whose waiting tasks run highest priority first, then in the order they came: the index builds of the
 * largest tables, the end of the copy's longest chain, start before the smaller ones that were ready earlier. A task
 * given without a priority ({@link #execute}: a future's continuation, say) is short glue and goes first. Created by
 * {@link RunThreads#priorityPool}.
 */
public final class PriorityPool extends ThreadPoolExecutor {
    private final AtomicLong arrivals = new AtomicLong();

    PriorityPool(int size, ThreadFactory factory) {
        super(size, size, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(), factory);
    }

    /** Runs {@code work} when a thread is free and no waiting task has a higher {@code priority}. */
    public <T> CompletableFuture<T> supply(long priority, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        super.execute(new Task(priority, arrivals.getAndIncrement(), () -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }));
        return result;
    }

    @Override
    public void execute(Runnable command) {
        super.execute(command instanceof Task ? command : new Task(Long.MAX_VALUE, arrivals.getAndIncrement(),
                command));
    }

    /** A queued runnable, ordered by priority (highest first), then arrival. */
    private record Task(long priority, long arrival, Runnable body) implements Runnable, Comparable<Task> {
        @Override
        public void run() {
            body.run();
        }

        @Override
        public int compareTo(Task other) {
            int byPriority = Long.compare(other.priority, priority);
            return byPriority != 0 ? byPriority : Long.compare(arrival, other.arrival);
        }
    }
}
