package io.pgcopydb.cli;

import io.pgcopydb.CopyBuilder;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * pgcopydb's job-count options, shared by {@code clone}, {@code copy db} and {@code demo}. A value on the
 * command line wins over the environment variable ({@link EnvironmentDefaults}), which wins over the default; every
 * value must be at least 1 and is never adjusted silently.
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

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--table-jobs", paramLabel = "N", order = 3,
            description = "Tables copied at once (default 4).")
    private Integer tableJobs;

    @Option(names = "--index-jobs", paramLabel = "N", order = 4,
            description = "Indexes built at once (default 4).")
    private Integer indexJobs;

    @Option(names = "--restore-jobs", paramLabel = "N", order = 5,
            description = "pg_restore --jobs for the post-data section (default: the index jobs); pre-data is "
                    + "restored by one pg_restore process below 1,000 privileges, post-data below 100 quick entries "
                    + "(triggers, rules, policies, comments) with nothing else.")
    private Integer restoreJobs;

    @Option(names = "--large-objects-jobs", paramLabel = "N", order = 5,
            description = "Large objects copied at once (default 4).")
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
     * Resolves the counts: option, else environment variable (both already in the fields), else default
     * ({@code --restore-jobs} defaults to the index jobs, as in pgcopydb).
     *
     * @param context the environment, to name a variable a bad value came from
     * @return the counts to use
     * @throws UsageException when a value is below 1
     */
    public Jobs resolve(CliContext context) {
        int table = atLeastOne(context, "--table-jobs", tableJobs).orElse(DEFAULT_JOBS);
        int index = atLeastOne(context, "--index-jobs", indexJobs).orElse(DEFAULT_JOBS);
        int restore = atLeastOne(context, "--restore-jobs", restoreJobs).orElse(index);
        int largeObjects = atLeastOne(context, "--large-objects-jobs", largeObjectJobs).orElse(DEFAULT_JOBS);
        return new Jobs(table, index, restore, largeObjects);
    }

    private Optional<Integer> atLeastOne(CliContext context, String option, Integer value) {
        if (value != null && value < 1) {
            String name = spec == null ? option : EnvironmentDefaults.origin(spec, option, context);
            throw new UsageException(name + " must be >= 1, was " + value + EnvironmentDefaults.fix(name));
        }
        return Optional.ofNullable(value);
    }
}
