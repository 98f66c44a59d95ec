package io.pgcopydb.cli;

import io.pgcopydb.CopyBuilder;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * pgcopydb's job-count options, shared by {@code clone}, {@code copy db} and {@code demo}. A value on the
 * command line wins over the environment variable, which wins over the default; every value must be at least 1
 * and is never adjusted silently.
 */
public final class JobOptions {
    /** Environment variable for {@code --table-jobs}. */
    public static final String TABLE_JOBS_VARIABLE = "PGCOPYDB_TABLE_JOBS";
    /** Environment variable for {@code --index-jobs}. */
    public static final String INDEX_JOBS_VARIABLE = "PGCOPYDB_INDEX_JOBS";
    /** Environment variable for {@code --restore-jobs}. */
    public static final String RESTORE_JOBS_VARIABLE = "PGCOPYDB_RESTORE_JOBS";
    /** Environment variable for {@code --large-objects-jobs}. */
    public static final String LARGE_OBJECTS_JOBS_VARIABLE = "PGCOPYDB_LARGE_OBJECTS_JOBS";
    /** Table and index jobs when neither option nor variable is set, as in pgcopydb. */
    public static final int DEFAULT_JOBS = 4;

    @Option(names = "--table-jobs", paramLabel = "N", order = 3,
            description = "Tables copied at once (default 4, or $" + TABLE_JOBS_VARIABLE + ").")
    private Integer tableJobs;

    @Option(names = "--index-jobs", paramLabel = "N", order = 4,
            description = "Indexes built at once (default 4, or $" + INDEX_JOBS_VARIABLE + ").")
    private Integer indexJobs;

    @Option(names = "--restore-jobs", paramLabel = "N", order = 5,
            description = "pg_restore --jobs for the schema (default: the index jobs, or $"
                    + RESTORE_JOBS_VARIABLE + ").")
    private Integer restoreJobs;

    @Option(names = "--large-objects-jobs", paramLabel = "N", order = 5,
            description = "Large objects copied at once (default 4, or $" + LARGE_OBJECTS_JOBS_VARIABLE + ").")
    private Integer largeObjectJobs;

    /** pgcopydb's other spelling of {@code --table-jobs}; hidden to keep the help short. */
    @Option(names = "--jobs", paramLabel = "N", hidden = true)
    void jobs(Integer n) {
        if (n != null) {
            tableJobs = n;
        }
    }

    /** The three counts, validated. */
    public record Jobs(int table, int index, int restore, int largeObjects) {

        /**
         * Applies the counts to a copy.
         *
         * @param copy the copy to configure
         * @return {@code copy}
         */
        public CopyBuilder applyTo(CopyBuilder copy) {
            return copy.jobs(table).indexJobs(index).restoreJobs(restore).largeObjectJobs(largeObjects);
        }
    }

    /**
     * Resolves the counts: option, else environment variable, else default ({@code --restore-jobs} defaults to
     * the index jobs, as in pgcopydb).
     *
     * @param context the environment the {@code PGCOPYDB_*_JOBS} variables are read from
     * @return the counts to use
     * @throws UsageException when a value is below 1 or a variable is not a number
     */
    public Jobs resolve(CliContext context) {
        int table = resolve(context, tableJobs, "--table-jobs", TABLE_JOBS_VARIABLE).orElse(DEFAULT_JOBS);
        int index = resolve(context, indexJobs, "--index-jobs", INDEX_JOBS_VARIABLE).orElse(DEFAULT_JOBS);
        int restore = resolve(context, restoreJobs, "--restore-jobs", RESTORE_JOBS_VARIABLE).orElse(index);
        int largeObjects = resolve(context, largeObjectJobs, "--large-objects-jobs", LARGE_OBJECTS_JOBS_VARIABLE)
                .orElse(DEFAULT_JOBS);
        return new Jobs(table, index, restore, largeObjects);
    }

    private static Optional<Integer> resolve(CliContext context, Integer option, String name, String variable) {
        if (option != null) {
            return Optional.of(atLeastOne(name, option));
        }
        return context.variable(variable).map(raw -> {
            try {
                return atLeastOne(variable, Integer.parseInt(raw.strip()));
            } catch (NumberFormatException e) {
                throw new UsageException(variable + " must be a whole number, was '" + raw + "'");
            }
        });
    }

    private static int atLeastOne(String name, int value) {
        if (value < 1) {
            throw new UsageException(name + " must be >= 1, was " + value);
        }
        return value;
    }
}
