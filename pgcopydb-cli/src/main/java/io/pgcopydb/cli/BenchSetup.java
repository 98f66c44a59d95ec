package io.pgcopydb.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code bench} run measured on: the database, the machine and its tools, the settings.
 *
 * @param dataset what the database holds ({@link BenchDataset#describe})
 * @param databaseBytes {@code pg_database_size} of the source database
 * @param rounds how many interleaved rounds
 * @param tableJobs table jobs of every way
 * @param indexJobs index jobs of ours and pgcopydb
 * @param splitTablesLargerThan the split threshold given to ours and pgcopydb, in bytes, or 0 when not given
 * @param jvmOptions the options of our child JVMs
 * @param servers how the servers came about: {@code throwaway local servers} or the masked URIs
 * @param machine cores, memory, operating system
 * @param versions each server's and tool's version, by name ({@code source}, {@code target}, {@code pg_dump},
 *     {@code pgcopydb}, {@code java}, {@code this tool}), in order
 * @param commands each way's command, with {@code SRC}, {@code TGT} and {@code DIR} standing for the source and
 *     target URIs and the way's scratch directory, by way name, in order
 */
record BenchSetup(String dataset, long databaseBytes, int rounds, int tableJobs, int indexJobs,
        long splitTablesLargerThan, List<String> jvmOptions, String servers, String machine,
        Map<String, String> versions, Map<String, String> commands) {

    BenchSetup {
        jvmOptions = List.copyOf(jvmOptions);
        // LinkedHashMap copies keep the order the tables print.
        versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        commands = Collections.unmodifiableMap(new LinkedHashMap<>(commands));
    }

    /** The database's size in GB of 2^30 bytes, as {@code pg_size_pretty} counts them. */
    double databaseGb() {
        return databaseBytes / (double) (1L << 30);
    }
}
