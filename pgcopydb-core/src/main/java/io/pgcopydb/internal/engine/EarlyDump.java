package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.run.RunThreads;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Step 3's pg_dump, started as soon as step 2 has exported the snapshot, on a thread of its own: it reads in that
 * snapshot and needs nothing else of step 2, so it runs while step 2 reads the catalog (pg_dump takes ~70 ms even
 * for an empty database, step 2 about as long). Step 3 then takes its archive, and a failure of pg_dump is still
 * step 3's. A dump nobody takes (step 2 failed) is waited for, so that it never outlives the run.
 */
final class EarlyDump {
    private final CopyOptions options;
    private final RunThreads threads;
    private final boolean wanted;
    private CompletableFuture<Path> dump;

    /** The dump of a run with {@code options}; none starts early unless {@code wanted} (step 3 dumps). */
    EarlyDump(CopyOptions options, RunThreads threads, boolean wanted) {
        this.options = options;
        this.threads = threads;
        this.wanted = wanted;
    }

    /** Starts the dump in {@code inSnapshot}'s snapshot, once. */
    void start(RunContext inSnapshot) {
        if (!wanted || dump != null) {
            return;
        }
        CompletableFuture<Path> started = new CompletableFuture<>();
        dump = started;
        threads.start("dump", () -> {
            try {
                started.complete(options.schemaDumper().dump(inSnapshot));
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        });
    }

    /** Whether the dump was started early. */
    boolean started() {
        return dump != null;
    }

    /** The archive: the one dumped early, or dumped now in {@code context} when none was started. */
    Path take(RunContext context) throws Exception {
        if (dump == null) {
            return options.schemaDumper().dump(context);
        }
        try {
            return dump.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Waits for a dump started but not taken, whatever its outcome. */
    void abandon() {
        if (dump != null) {
            try {
                dump.join();
            } catch (RuntimeException ignored) {
                // Nobody takes it: the run failed before step 3, and says why.
            }
        }
    }
}
