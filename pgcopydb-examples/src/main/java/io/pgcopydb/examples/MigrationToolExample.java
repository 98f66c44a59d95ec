package io.pgcopydb.examples;

import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyReport;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.model.TablePart;
import java.io.PrintStream;
import java.time.Duration;

/**
 * How a migration tool embeds the library: copy one database into another with 8 table jobs and print each
 * table's progress as it happens.
 *
 * <pre>
 * java -cp pgcopydb-examples/target/pgcopydb-examples.jar io.pgcopydb.examples.MigrationToolExample \
 *     postgres://app@old-server/shop postgres://app@new-server/shop
 * </pre>
 *
 * <p>The whole integration is one builder chain ({@link #migrate}); everything else is presentation. Passwords
 * come from the URIs or from {@code PGPASSWORD}; the library never prints them.
 */
public final class MigrationToolExample {
    private MigrationToolExample() {
    }

    /**
     * Copies {@code args[0]} into {@code args[1]} and exits 0, or 1 when the copy failed, 2 on bad arguments.
     *
     * @param args the source's and the target's connection strings
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: MigrationToolExample SOURCE_URI TARGET_URI");
            System.exit(2);
        }
        try {
            CopyReport report = migrate(args[0], args[1], System.out);
            System.out.println(report.summaryTable());
            System.out.println(report.stepTable());
        } catch (IllegalArgumentException e) {
            System.err.println("bad connection string: " + e.getMessage());
            System.exit(2);
        } catch (PgCopyException e) {
            // The exception names the step and object; the partial report says how far the copy got.
            System.err.println("migration failed in " + e.phase().map(Phase::name).orElse("setup") + " ("
                    + e.code() + "): " + e.getMessage());
            e.partialReport().ifPresent(r -> System.err.println(r.summaryTable()));
            System.exit(1);
        }
    }

    /**
     * Copies {@code source} into the empty database {@code target}, reporting per-table progress on
     * {@code progress}.
     *
     * @param source the source's connection string (libpq URI, key=value or JDBC URL)
     * @param target the target's connection string; its database must exist and be empty
     * @param progress where each table's progress is printed
     * @return the report of the successful copy
     * @throws IllegalArgumentException when a connection string is malformed
     * @throws PgCopyException when the copy fails
     */
    public static CopyReport migrate(String source, String target, PrintStream progress) {
        return DatabaseCopy.from(source)
                .to(target)
                .jobs(8)
                .listener(new TableProgress(progress))
                .run();
    }

    /**
     * Prints one line per table event. Events arrive concurrently from the copy's worker threads; a
     * {@link PrintStream} is thread-safe per call, and each event is printed with one call.
     */
    static final class TableProgress implements CopyListener {
        private final PrintStream out;

        TableProgress(PrintStream out) {
            this.out = out;
        }

        @Override
        public void phaseStarted(Phase phase) {
            out.printf("step %d: %s%n", phase.number(), phase.description());
        }

        @Override
        public void tableCopyStarted(TablePart part) {
            out.printf("  %-40s started%n", part);
        }

        @Override
        public void tableCopyProgress(TablePart part, long rows, long bytes) {
            out.printf("  %-40s %,d rows, %s so far%n", part, rows, size(bytes));
        }

        @Override
        public void tableCopyFinished(TablePart part, long rows, long bytes, Duration duration) {
            out.printf("  %-40s done: %,d rows, %s in %d ms%n", part, rows, size(bytes), duration.toMillis());
        }

        @Override
        public void tableCopyFailed(TablePart part, Throwable error) {
            out.printf("  %-40s FAILED: %s%n", part, error.getMessage());
        }

        private static String size(long bytes) {
            return bytes < 10 * 1024 ? bytes + " B" : bytes / 1024 < 10 * 1024 ? bytes / 1024 + " kB"
                    : bytes / (1024 * 1024) + " MB";
        }
    }
}
