package io.pgcopydb.internal.follow;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmarks' view of the heap: a daemon thread samples the used heap (garbage not yet collected included)
 * every 20 ms and keeps the peak, to show that a large transaction streams through a small heap.
 */
public final class HeapSampler {
    private final AtomicLong peak = new AtomicLong();

    private HeapSampler() {
    }

    /** Starts sampling on a daemon thread {@code heap-sampler}. */
    public static HeapSampler start() {
        HeapSampler sampler = new HeapSampler();
        Thread thread = new Thread(() -> {
            Runtime rt = Runtime.getRuntime();
            while (!Thread.currentThread().isInterrupted()) {
                sampler.peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
        return sampler;
    }

    /** The peak used heap sampled since the start or the last {@link #reset()}, in bytes. */
    public long peakBytes() {
        return peak.get();
    }

    /** Forgets the peak so far: what follows is measured alone. */
    public void reset() {
        peak.set(0);
    }
}
