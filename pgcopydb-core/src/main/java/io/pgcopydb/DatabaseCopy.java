package io.pgcopydb;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.filter.SourceListing;
import io.pgcopydb.internal.Wiring;
import java.util.Objects;

/**
 * Entry point: copy a live PostgreSQL database to another live server.
 *
 * <pre>{@code
 * CopyReport report = DatabaseCopy.from("postgres://app@src:5432/shop")
 *         .to("postgres://app@tgt:5432/shop")
 *         .jobs(8)
 *         .indexJobs(4)
 *         .run();
 * }</pre>
 *
 * <p>{@code from(…)} returns a type that only offers {@code to(…)}, so a copy without a target does not
 * compile. Each builder method validates its value at once ({@link IllegalArgumentException}); {@code run()}
 * freezes the values into an immutable {@link CopyOptions} and runs.
 */
public final class DatabaseCopy {
    private DatabaseCopy() {
    }

    /**
     * Starts describing a copy from {@code source}: a libpq URI ({@code postgres://…}), a key=value conninfo
     * string or a {@code jdbc:postgresql://} URL.
     *
     * @throws IllegalArgumentException when the string is malformed (the message never contains the password)
     */
    public static Source from(String source) {
        return from(ConnectionSpec.parse(source));
    }

    /** Starts describing a copy from {@code source}. */
    public static Source from(ConnectionSpec source) {
        return new Source(Objects.requireNonNull(source, "source"));
    }

    /** A copy with a source and no target yet. */
    public static final class Source {
        private final ConnectionSpec source;

        private Source(ConnectionSpec source) {
            this.source = source;
        }

        /**
         * The database to copy into, in any form {@link DatabaseCopy#from(String)} accepts.
         *
         * @throws IllegalArgumentException when the string is malformed
         */
        public CopyBuilder to(String target) {
            return to(ConnectionSpec.parse(target));
        }

        /** The database to copy into. */
        public CopyBuilder to(ConnectionSpec target) {
            return new CopyBuilder(source, Objects.requireNonNull(target, "target"));
        }

        /**
         * What a copy with {@code filters} would select in the source, now: every table, index and sequence with
         * its decision, and the filter's errors and warnings. Reads the source in one read-only snapshot and
         * writes nothing (pgcopydb's {@code list tables|indexes|sequences}).
         *
         * <pre>{@code
         * SourceListing l = DatabaseCopy.from(src).list(Filters.none().excludeSchema("audit"));
         * l.skippedTables().forEach(t -> System.out.println(t.name()));
         * }</pre>
         *
         * @throws PgCopyException with a code of {@link ErrorCode.Category#CONNECTION} when the source cannot be
         *     reached
         */
        public SourceListing list(Filters filters) {
            return Wiring.list(source, Objects.requireNonNull(filters, "filters"));
        }
    }
}
