package io.pgcopydb.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The options of {@code bench}, validated where they enter: every bad value is one {@link UsageException} naming
 * the option, before any server is started.
 *
 * @param scale pgbench's scale
 * @param wideRows rows of {@code wide}
 * @param rounds interleaved rounds
 * @param ways the ways to time, in order
 * @param tableJobs table jobs
 * @param indexJobs index jobs
 * @param split {@code --split-tables-larger-than} in bytes, when given
 * @param jvmOptions the options of our child JVMs
 * @param pgBin the client tools' directory, when given
 * @param pgcopydb pgcopydb's binary, when on the PATH
 * @param json print JSON
 * @param markdown print Markdown
 */
record BenchOptions(int scale, long wideRows, int rounds, List<BenchWay> ways, int tableJobs, int indexJobs,
        OptionalLong split, List<String> jvmOptions, Optional<Path> pgBin, Optional<Path> pgcopydb, boolean json,
        boolean markdown) {

    /** Our child JVMs' options when {@code --jvm-opt} is not given: the heap the issue asks the copy to fit in. */
    static final String DEFAULT_JVM_OPTION = "-Xmx128m";

    BenchOptions {
        ways = List.copyOf(ways);
        jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * The options as picocli parsed them.
     *
     * @param scale {@code --scale}
     * @param wideRows {@code --wide-rows}
     * @param rounds {@code --rounds}
     * @param ways {@code --ways}
     * @param variants {@code --way}
     * @param tableJobs {@code --table-jobs}
     * @param indexJobs {@code --index-jobs}
     * @param split {@code --split-tables-larger-than}, or null
     * @param jvmOptions {@code --jvm-opt}
     * @param pgBin {@code --pg-bin}, or null
     * @param json {@code --json}
     * @param markdown {@code --markdown}
     */
    record Raw(int scale, long wideRows, int rounds, List<String> ways, List<String> variants, int tableJobs,
            int indexJobs, String split, List<String> jvmOptions, Path pgBin, boolean json, boolean markdown) {
    }

    /**
     * Validates {@code raw}.
     *
     * @param context where {@code PATH} is read, to find {@code pgcopydb}
     * @param raw the parsed options
     * @return the options to run with
     * @throws UsageException for the first bad value
     */
    static BenchOptions validate(CliContext context, Raw raw) {
        if (raw.scale() < 1 || raw.scale() > BenchDataset.MAX_SCALE) {
            throw new UsageException("--scale must be between 1 and " + BenchDataset.MAX_SCALE + " (pgbench's int "
                    + "accounts), was " + raw.scale());
        }
        if (raw.wideRows() < 0) {
            throw new UsageException("--wide-rows must be >= 0, was " + raw.wideRows());
        }
        atLeastOne("--rounds", raw.rounds());
        atLeastOne("--table-jobs", raw.tableJobs());
        atLeastOne("--index-jobs", raw.indexJobs());
        if (raw.json() && raw.markdown()) {
            throw new UsageException("give --json or --markdown, not both");
        }
        OptionalLong split = OptionalLong.empty();
        if (raw.split() != null) {
            long bytes = Sizes.parseBytes("--split-tables-larger-than", raw.split());
            if (bytes < 1) {
                throw new UsageException("--split-tables-larger-than must be > 0, was " + raw.split());
            }
            split = OptionalLong.of(bytes);
        }
        for (String option : raw.jvmOptions()) {
            if (!option.startsWith("-") || option.isBlank()) {
                throw new UsageException("--jvm-opt " + option + " is not a JVM option: give e.g. --jvm-opt=-Xmx256m");
            }
        }
        if (raw.pgBin() != null) {
            for (String tool : List.of("pg_dump", "pg_restore")) {
                if (!Files.isExecutable(raw.pgBin().resolve(tool))) {
                    throw new UsageException("--pg-bin " + raw.pgBin() + " holds no executable " + tool);
                }
            }
        }
        Optional<Path> pgcopydb = Tools.onPath(context, "pgcopydb");
        // Flags bench passes to every way of ours itself; a way's own flags may not repeat them.
        Set<String> reserved = new HashSet<>(Set.of("--pg-bin"));
        if (split.isPresent()) {
            reserved.add("--split-tables-larger-than");
        }
        List<BenchWay> ways = BenchWay.select(raw.ways().stream().map(String::strip).toList(), raw.variants(),
                reserved, pgcopydb.isPresent());
        return new BenchOptions(raw.scale(), raw.wideRows(), raw.rounds(), ways, raw.tableJobs(), raw.indexJobs(),
                split, raw.jvmOptions().isEmpty() ? List.of(DEFAULT_JVM_OPTION) : raw.jvmOptions(),
                Optional.ofNullable(raw.pgBin()), pgcopydb, raw.json(), raw.markdown());
    }

    private static void atLeastOne(String option, long value) {
        if (value < 1) {
            throw new UsageException(option + " must be >= 1, was " + value);
        }
    }
}
