package io.pgcopydb.compare;

import static com.google.common.base.Preconditions.checkArgument;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.internal.Wiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Compares two live databases — typically a source and its copy — and says what differs: the schema from the
 * catalogs of both (objects, their definitions, owners, ACLs, comments, settings), the data per table by row count
 * and an order-independent checksum computed on each server in constant memory, inside one snapshot per side.
 * Reads only.
 *
 * <pre>{@code
 * CompareReport report = DatabaseCompare.of("postgres://app@old/shop", "postgres://app@new/shop")
 *         .filter(Filters.none().excludeSchema("audit"))   // what was asked to be copied
 *         .jobs(4)
 *         .all();
 * if (!report.isIdentical()) {
 *     report.differences().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Not thread-safe while being configured; each of {@link #schema()}, {@link #data()} and {@link #all()} runs a
 * new comparison and may be called again after the databases change.
 */
public final class DatabaseCompare {
    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private Filters filters = Filters.none();
    private final Set<Ignore> ignored = EnumSet.noneOf(Ignore.class);
    private int jobs = 4;
    private Optional<Path> clientTools = Optional.empty();

    private DatabaseCompare(ConnectionSpec source, ConnectionSpec target) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * Compares {@code source} with {@code target}, given as libpq URIs, key=value strings or JDBC URLs.
     *
     * @throws IllegalArgumentException when a string is malformed (the message never contains the password)
     */
    public static DatabaseCompare of(String source, String target) {
        return of(ConnectionSpec.parse(source), ConnectionSpec.parse(target));
    }

    /** Compares {@code source} with {@code target}. */
    public static DatabaseCompare of(ConnectionSpec source, ConnectionSpec target) {
        return new DatabaseCompare(source, target);
    }

    /**
     * Compares only what a copy with {@code filters} creates on the target: objects the filter leaves out are not
     * expected there, and tables under {@code excludeTableData} are compared without their rows. Default
     * {@link Filters#none()}.
     */
    public DatabaseCompare filter(Filters filters) {
        this.filters = Objects.requireNonNull(filters, "filters");
        return this;
    }

    /**
     * Leaves {@code what} out of the comparison, for a copy made with the option that does not copy it: after a
     * copy with {@code noOwner()}, {@code ignoring(Ignore.OWNERS)}. Adds to what was ignored before.
     */
    public DatabaseCompare ignoring(Ignore... what) {
        for (Ignore i : what) {
            ignored.add(Objects.requireNonNull(i, "ignored"));
        }
        return this;
    }

    /** How many tables (or parts of large tables) are compared at once on each side. Default 4. */
    public DatabaseCompare jobs(int jobs) {
        checkArgument(jobs >= 1, "jobs must be >= 1, was %s", jobs);
        this.jobs = jobs;
        return this;
    }

    /**
     * The bin directory of the {@code pg_dump} the schema comparison's safety net runs (it compares both sides'
     * dumps when they are of the same major version), as {@code CopyBuilder.clientTools(dir)}. Default: found as
     * a copy finds it; without one, the catalog comparison stands alone.
     *
     * @throws IllegalArgumentException when {@code binDir} holds no executable {@code pg_dump} and {@code pg_restore}
     */
    public DatabaseCompare clientTools(Path binDir) {
        Objects.requireNonNull(binDir, "binDir");
        checkArgument(Files.isExecutable(binDir.resolve("pg_dump")) && Files.isExecutable(binDir.resolve(
                "pg_restore")), "clientTools must be a directory holding pg_dump and pg_restore, was %s", binDir);
        this.clientTools = Optional.of(binDir);
        return this;
    }

    /**
     * Compares the schemas.
     *
     * @throws io.pgcopydb.PgCopyException when a server cannot be read, or the filter cannot be applied
     */
    public CompareReport schema() {
        return Wiring.compare(source, target, filters, ignored, jobs, clientTools, true, false);
    }

    /**
     * Compares the data: rows of every table and populated materialized view, sequence values, large objects.
     *
     * @throws io.pgcopydb.PgCopyException when a server cannot be read, or the filter cannot be applied
     */
    public CompareReport data() {
        return Wiring.compare(source, target, filters, ignored, jobs, clientTools, false, true);
    }

    /**
     * Compares the schemas, then the data.
     *
     * @throws io.pgcopydb.PgCopyException when a server cannot be read, or the filter cannot be applied
     */
    public CompareReport all() {
        return Wiring.compare(source, target, filters, ignored, jobs, clientTools, true, true);
    }
}
