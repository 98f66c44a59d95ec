package io.pgcopydb.examples;

import io.pgcopydb.CopyBuilder;
import io.pgcopydb.CopyExecution;
import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyReport;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.InterruptedCopy;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Problem;
import io.pgcopydb.model.TablePart;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a migration tool embeds the library, acting on the API alone — no message is parsed:
 * <ul>
 *   <li>it shows a percentage and an ETA of the data ({@link ProgressDisplay}, from the listener's plan and
 *       ended parts);</li>
 *   <li>it resumes: a copy interrupted earlier (a crash, Ctrl-C, a lost server) is found with
 *       {@link CopyBuilder#interruptedCopy()} and continued with {@code resume()}; a run that fails in a way a
 *       resume can cure is resumed once at once;</li>
 *   <li>it decides what to do about every {@link ErrorCode} ({@link #decide}: an exhaustive switch, so a code
 *       added to the library does not compile until the tool handles it), and prints each {@link Problem}
 *       with its remedy.</li>
 * </ul>
 *
 * <pre>
 * java -cp pgcopydb-examples/target/pgcopydb-examples.jar io.pgcopydb.examples.MigrationToolExample \
 *     postgres://app@old-server/shop postgres://app@new-server/shop
 * </pre>
 *
 * <p>Exit codes: 0 copied, 1 failed (the decision and the problems are printed), 2 bad arguments, 3 interrupted
 * (run the same command again to resume). Passwords come from the URIs or {@code PGPASSWORD}; the library never
 * prints them.
 */
public final class MigrationToolExample {
    /** Copied. */
    static final int OK = 0;
    /** Failed: see the decision printed. */
    static final int FAILED = 1;
    /** Bad arguments. */
    static final int USAGE = 2;
    /** Interrupted: running the same command again resumes. */
    static final int INTERRUPTED = 3;

    private MigrationToolExample() {
    }

    /** What the tool does about a failed copy, decided from its code alone. */
    enum Decision {
        /** Fix the command line or the options. */
        FIX_INPUT,
        /** Check that the server is up, the address, the credentials and the database name. */
        CHECK_CONNECTION,
        /** Fix the environment (tools, privileges, roles, extensions, the filter) and run again. */
        FIX_SETUP,
        /** The target holds data: ask whether to replace it ({@code dropIfExists()}). */
        ASK_TO_REPLACE_TARGET,
        /** An earlier copy can be continued: resume it. */
        RESUME,
        /** The earlier copy finished, or there is nothing to resume: start over ({@code restart()}). */
        START_OVER,
        /** Stopped on request: say so; the next run resumes. */
        STOPPED,
        /** The copy finished but differs from the source: show the differences before anyone cuts over. */
        INSPECT_DIFFERENCES,
        /** A bug of the library: report it with the stack trace. */
        REPORT_BUG
    }

    /**
     * The tool's decision for each code. A switch expression without {@code default}: when the library adds a
     * code, this stops compiling until the tool decides what to do about it.
     */
    static Decision decide(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> Decision.FIX_INPUT;
            case SERVER_UNREACHABLE, UNKNOWN_HOST, AUTHENTICATION_FAILED, CONNECTION_REJECTED, PASSWORD_MISSING,
                    DATABASE_NOT_FOUND -> Decision.CHECK_CONNECTION;
            case CLIENT_TOOLS_MISSING, CLIENT_TOOLS_TOO_OLD, SAME_DATABASE, PRIVILEGE_MISSING, ROLE_MISSING,
                    WORK_DIRECTORY_UNUSABLE, WORK_DIRECTORY_IN_USE, OTHER_PAIRS_WORK_DIRECTORY,
                    RESUME_NEEDS_SNAPSHOT_CHOICE, FILTER_REFUSED, TARGET_PREREQUISITE_MISSING, TARGET_TOO_OLD,
                    TEMPLATE_REFUSED, LOGICAL_REPLICATION_UNAVAILABLE, REPLICA_IDENTITY_MISSING,
                    STEP_PREREQUISITE_MISSING ->
                    Decision.FIX_SETUP;
            case TARGET_NOT_EMPTY, DROP_WOULD_CASCADE, TARGET_EXISTS -> Decision.ASK_TO_REPLACE_TARGET;
            case INTERRUPTED_COPY_FOUND, DUMP_FAILED, RESTORE_FAILED, COPY_FAILED, CONNECTION_LOST,
                    SNAPSHOT_LOST, FOLLOW_FAILED -> Decision.RESUME;
            case FINISHED_COPY_FOUND, NOTHING_TO_RESUME, FOLLOW_STATE_MISMATCH -> Decision.START_OVER;
            case CANCELLED, TIMED_OUT -> Decision.STOPPED;
            case VERIFY_FAILED -> Decision.INSPECT_DIFFERENCES;
            case INTERNAL -> Decision.REPORT_BUG;
        };
    }

    /**
     * Copies {@code args[0]} into {@code args[1]} and exits with one of this class's codes.
     *
     * @param args the source's and the target's connection strings
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: MigrationToolExample SOURCE_URI TARGET_URI");
            System.exit(USAGE);
        }
        System.exit(migrate(args[0], args[1], System.out, false));
    }

    /**
     * Copies {@code source} into {@code target}, resuming an interrupted copy of the pair if there is one.
     *
     * @param source the source's connection string (libpq URI, key=value or JDBC URL)
     * @param target the target's connection string; its database must exist
     * @param out where progress, the decision and the problems are printed
     * @param stopAfterFirstTable stop the copy as soon as one table part is copied (to show resuming)
     * @return the exit code
     */
    static int migrate(String source, String target, PrintStream out, boolean stopAfterFirstTable) {
        CopyBuilder copy;
        try {
            copy = DatabaseCopy.from(source).to(target).jobs(8);
        } catch (IllegalArgumentException e) {
            out.println("bad connection string: " + e.getMessage());
            return USAGE;
        }
        boolean resumedOnce = false;
        while (true) {
            Optional<InterruptedCopy> earlier = copy.interruptedCopy();
            if (earlier.isPresent()) {
                out.printf("resuming the copy interrupted in %s (%d units already done)%n",
                        earlier.get().workDirectory(), earlier.get().unitsFinished());
                copy.resume().notConsistent();
            }
            try {
                CopyReport report = run(copy.listener(new ProgressDisplay(out, System::nanoTime)),
                        stopAfterFirstTable && !resumedOnce);
                out.printf("copied %d tables, %,d rows in %d s%n", report.tables().size(), report.totalRows(),
                        report.duration().toSeconds());
                return OK;
            } catch (PgCopyException e) {
                Decision decision = decide(e.code());
                out.printf("the copy stopped: %s (%s)%n", decision, e.code());
                e.problems().forEach(p -> out.printf("  %s%s: %s%n", p.message(),
                        p.side().map(s -> " [" + s.label() + "]").orElse(""), p.remedy()));
                boolean resumable = e.partialReport().map(CopyReport::resumable).orElse(false);
                if (decision == Decision.RESUME && resumable && !resumedOnce) {
                    resumedOnce = true;
                    copy = DatabaseCopy.from(source).to(target).jobs(8);
                    continue;
                }
                if (decision == Decision.STOPPED && resumable) {
                    out.println("interrupted: run the same command again to resume");
                    return INTERRUPTED;
                }
                return FAILED;
            }
        }
    }

    /** Runs {@code copy}; with {@code stopEarly}, cancels it as soon as one table part is in. */
    private static CopyReport run(CopyBuilder copy, boolean stopEarly) {
        if (!stopEarly) {
            return copy.run();
        }
        CountDownLatch onePart = new CountDownLatch(1);
        try (CopyExecution execution = copy.listener(new CopyListener() {
            @Override
            public void tableCopyFinished(TablePart part, long rows, long bytes, Duration duration) {
                onePart.countDown();
            }
        }).start()) {
            while (!execution.isDone()) {
                try {
                    if (onePart.await(100, TimeUnit.MILLISECONDS)) {
                        execution.cancel();
                        break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return execution.await();
        }
    }
}
