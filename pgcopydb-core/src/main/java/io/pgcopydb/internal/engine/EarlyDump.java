package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.run.Futures;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.run.RunThreads;
import io.pgcopydb.internal.schema.SchemaRestorer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 3's pg_dump, started as soon as step 2 has exported the snapshot, on a thread of its own: it reads in that
 * snapshot and needs nothing else of step 2, so it runs while step 2 reads the catalog (pg_dump takes ~70 ms even
 * for an empty database, step 2 about as long). Step 3 then takes its archive, and a failure of pg_dump is still
 * step 3's. A dump nobody takes (step 2 failed) is waited for, so that it never outlives the run.
 *
 * <p>When the run restores from it, the same thread then lists the archive's table of contents for step 4
 * ({@code pg_restore --list}, ~50 ms that step 4 no longer waits for). A listing that fails is left to step 4,
 * which lists again and fails there as before.
 */
final class EarlyDump {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyDump.class);

    private final CopyOptions options;
    private final RunThreads threads;
    private final boolean wanted;
    private final boolean listed;
    private CompletableFuture<Path> dump;
    private final CompletableFuture<Optional<List<String>>> toc = new CompletableFuture<>();

    /**
     * The dump of a run with {@code options}; none starts early unless {@code wanted} (step 3 dumps), and it is
     * {@code listed} when a restore will read its table of contents.
     */
    EarlyDump(CopyOptions options, RunThreads threads, boolean wanted, boolean listed) {
        this.options = options;
        this.threads = threads;
        this.wanted = wanted;
        this.listed = listed;
    }

    /** Starts the dump in {@code inSnapshot}'s snapshot, once. */
    void start(RunContext inSnapshot) {
        if (!wanted || dump != null) {
            return;
        }
        CompletableFuture<Path> started = new CompletableFuture<>();
        dump = started;
        threads.start("dump", () -> {
            Path archive;
            try {
                archive = options.schemaDumper().dump(inSnapshot);
            } catch (Throwable e) {
                toc.complete(Optional.empty());
                started.completeExceptionally(e);
                return;
            }
            started.complete(archive);
            try {
                toc.complete(listed ? Optional.of(SchemaRestorer.list(inSnapshot, archive)) : Optional.empty());
            } catch (Throwable e) {
                LOG.debug("Listing the archive left to step 4: {}", Errors.message(e));
                toc.complete(Optional.empty());
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
        return Futures.join(dump, Exception.class);
    }

    /**
     * The table of contents of {@code archive} when it is the early dump and its listing succeeded (waited for
     * while it runs).
     */
    Optional<List<String>> toc(Path archive) {
        if (dump == null || !dump.isDone() || dump.isCompletedExceptionally() || !archive.equals(dump.join())) {
            return Optional.empty();
        }
        return toc.join();
    }

    /** Waits for a dump started but not taken, whatever its outcome. */
    void abandon() {
        if (dump != null) {
            try {
                dump.join();
            } catch (RuntimeException ignored) {
                // Nobody takes it: the run failed before step 3, and says why.
            }
            toc.join();         // never fails
        }
    }
}
