package io.pgcopydb.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The shell command of each {@link BenchWay}: what {@code bash -c} runs, for one source and one target database.
 * Connection strings carry no password (children read {@code PGPASSWORD}); every word is quoted for the shell.
 *
 * @param java the {@code java} launcher of the running JVM
 * @param jar the running {@code pgcopydb.jar}
 * @param launcher the launcher {@code pgcopydb} (script + jar) beside it, when there is one: ours then runs as users
 *     run it, with {@code jvmOptions} in {@code PGCOPYDB_JAVA_OPTS}
 * @param jvmOptions the options of our child JVMs ({@code --jvm-opt})
 * @param tableJobs {@code --table-jobs} of ours and pgcopydb, {@code -j} of {@code pg_dump -Fd} and its restore
 * @param indexJobs {@code --index-jobs} of ours and pgcopydb
 * @param split {@code --split-tables-larger-than} in bytes, for ours and pgcopydb, when given
 * @param clientTools the bin directory of {@code pg_dump} and {@code pg_restore}, when known (else the PATH's);
 *     given to ours as {@code --pg-bin}
 * @param pgcopydb pgcopydb's binary, when on the PATH
 */
record WayCommands(Path java, Path jar, Optional<Path> launcher, List<String> jvmOptions, int tableJobs, int indexJobs, OptionalLong split,
        Optional<Path> clientTools, Optional<Path> pgcopydb) {

    WayCommands {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * The shell command of {@code way}.
     *
     * @param source the source database's URI, or a placeholder for display
     * @param target the target database's URI, or a placeholder
     * @param scratch a fresh directory for the way's files (dump directory, work directory), or a placeholder
     */
    String script(BenchWay way, String source, String target, String scratch) {
        String jobs = Integer.toString(tableJobs);
        return switch (way.kind()) {
            case OURS -> {
                List<String> words = new ArrayList<>();
                if (launcher.isPresent()) {
                    words.addAll(List.of("env", "PGCOPYDB_JAVA_OPTS=" + String.join(" ", jvmOptions),
                            launcher.get().toString()));
                } else {
                    words.add(java.toString());
                    words.addAll(jvmOptions);
                    words.addAll(List.of("-jar", jar.toString()));
                }
                words.addAll(List.of("clone", "--source", source, "--target", target,
                        "--table-jobs", jobs, "--index-jobs", Integer.toString(indexJobs), "--dir", scratch + "/work"));
                split.ifPresent(bytes -> words.addAll(List.of("--split-tables-larger-than", Long.toString(bytes))));
                clientTools.ifPresent(dir -> words.addAll(List.of("--pg-bin", dir.toString())));
                words.addAll(way.flags());
                yield quote(words);
            }
            case PG_DUMP_DIR -> quote(List.of(tool("pg_dump"), "-Fd", "-j", jobs, "-f", scratch + "/dump", "-d", source))
                    + " && " + quote(List.of(tool("pg_restore"), "-j", jobs, "-d", target, scratch + "/dump"));
            case PG_DUMP_CUSTOM -> quote(List.of(tool("pg_dump"), "-Fc", "-d", source)) + " | "
                    + quote(List.of(tool("pg_restore"), "-d", target));
            case PGCOPYDB -> {
                List<String> words = new ArrayList<>(List.of(pgcopydb.orElseThrow().toString(), "clone", "--source",
                        source, "--target", target, "--table-jobs", jobs, "--index-jobs", Integer.toString(indexJobs),
                        "--dir", scratch + "/work"));
                split.ifPresent(bytes -> words.addAll(List.of("--split-tables-larger-than", Long.toString(bytes))));
                yield quote(words);
            }
        };
    }

    /** {@code pg_dump} or {@code pg_restore}: in {@link #clientTools} when known, else found on the PATH. */
    String tool(String name) {
        return clientTools.map(dir -> dir.resolve(name).toString()).orElse(name);
    }

    /** The words joined for {@code bash -c}, each single-quoted unless it is plainly safe. */
    static String quote(List<String> words) {
        return words.stream().map(WayCommands::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String word) {
        if (word.matches("[A-Za-z0-9_./:@=,+-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
