package io.pgcopydb;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.filter.ListedCollation;
import io.pgcopydb.filter.ListedDatabase;
import io.pgcopydb.filter.ListedDependency;
import io.pgcopydb.filter.ListedExtension;
import io.pgcopydb.filter.SourceListing;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SplitSettings;
import io.pgcopydb.model.TablePart;
import java.util.List;
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
 *
 * <p><b>The database itself.</b> The target database must exist; the copy fills it. Of the source database's own
 * state it copies, at the end of the run: its {@code ALTER DATABASE … SET} and {@code ALTER ROLE … IN DATABASE …
 * SET} settings (unless {@link CopyBuilder#skipDbProperties()}), its comment (unless
 * {@link CopyBuilder#noComments()}) and its privileges, {@code GRANT … ON DATABASE} (unless
 * {@link CopyBuilder#noAcl()}; the owner's own privileges go to the target's owner). It does not change the target
 * database's owner, name, tablespace, encoding, locale (LC_COLLATE, LC_CTYPE, ICU), connection limit or template
 * flag: those are the target's own. Preflight warns when the encoding or locale differ from the source's, since
 * text then converts, sorts or changes case differently. While the copy runs, every session it opens pins its
 * settings (search path, date and interval styles, time zone, float digits, bytea and xml formats, time limits,
 * read-only and isolation defaults), so no database or role setting of either server changes what is read or
 * written; the source database's custom settings ({@code app.tenant}) are set in the target's sessions, so a
 * constraint or trigger reading one sees it during the load. Event triggers are created last, after every other
 * statement of the copy, so none fires on the copy's own DDL.
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

        /**
         * The source server's databases but {@code template0} and {@code template1}, by name, with their size
         * (pgcopydb's {@code list databases}).
         *
         * @throws PgCopyException with a code of {@link ErrorCode.Category#CONNECTION} when the source cannot be
         *     reached
         */
        public List<ListedDatabase> databases() {
            return Wiring.databases(source);
        }

        /**
         * The source database's extensions, by name (pgcopydb's {@code list extensions}).
         *
         * @throws PgCopyException with a code of {@link ErrorCode.Category#CONNECTION} when the source cannot be
         *     reached
         */
        public List<ListedExtension> extensions() {
            return Wiring.extensions(source);
        }

        /**
         * The collations the source database uses — its own, its user tables' columns', its user indexes' — but
         * {@code default}: those the target must know (pgcopydb's {@code list collations}).
         *
         * @throws PgCopyException with a code of {@link ErrorCode.Category#CONNECTION} when the source cannot be
         *     reached
         */
        public List<ListedCollation> collations() {
            return Wiring.collations(source);
        }

        /**
         * What a copy with {@code filters} leaves out because it depends on a table or sequence they skip: indexes,
         * views, constraints, triggers, defaults… (pgcopydb's {@code list depends}). Empty without a filter.
         *
         * @throws PgCopyException with a code of {@link ErrorCode.Category#CONNECTION} when the source cannot be
         *     reached
         */
        public List<ListedDependency> dependencies(Filters filters) {
            return Wiring.dependencies(source, Objects.requireNonNull(filters, "filters"));
        }

        /**
         * How the standard planner ({@link io.pgcopydb.stage.TablePlanner#standard()}) would cut {@code table} now
         * with {@code split}: its parts with their predicate, by integer key ranges or page ranges, or the whole
         * table (pgcopydb's {@code list table-parts}). Reads the source as a copy does: the table's size, its key's
         * bounds or its heap's pages.
         *
         * @throws IllegalArgumentException when the source has no such table to copy
         * @throws PgCopyException with a code of {@link ErrorCode.Category#CONNECTION} when the source cannot be
         *     reached
         */
        public List<TablePart> tableParts(QualifiedName table, SplitSettings split) {
            return Wiring.tableParts(source, Objects.requireNonNull(table, "table"),
                    Objects.requireNonNull(split, "split"));
        }
    }
}
