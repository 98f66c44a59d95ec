package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code pgcopydb bench} from the executable jar (it runs ours as {@code java -jar} of itself): a tiny dataset, one
 * round of two ways on its own throwaway servers, every copy verified; and on given servers, its refusal to touch
 * a database it did not create. Nothing is timed: the figures are only checked to be there.
 */
class BenchCommandIT {

    @Test
    void oneRoundOfTwoWaysIsMeasuredAndVerified() {
        CommandRun run = CommandRun.inJar("bench", "--scale", "1", "--wide-rows", "2000", "--rounds", "1", "--ways",
                "ours-text,pg-dump-dir", "--json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String json = run.out().strip();
        assertThat(json).as(run.toString()).startsWith("{\"database\":{\"bytes\":").endsWith("\"ok\":true}")
                .contains("\"rounds\":1,\"tableJobs\":2,\"indexJobs\":2", "\"jvmOptions\":[\"-Xmx128m\"]",
                        "\"pg_dump\":\"", "\"baseline\":\"pg-dump-dir\"");
        for (String way : new String[] {"ours-text", "pg-dump-dir"}) {
            assertThat(json).as(way).containsPattern("\\{\"name\":\"" + way + "\",\"command\":\"[^\"]+\",\"runs\":"
                    + "\\[\\{\"round\":1,\"position\":[12],\"wallSeconds\":[0-9.]+,\"cpuSeconds\":[0-9.]+,"
                    + "\"startCpuSeconds\":[0-9.]+,\"peakRssBytes\":\\d+,\"outcome\":\"IDENTICAL\",\"notes\":\\[\\]\\}\\],"
                    + "\"medianSeconds\":[0-9.]+,\"minSeconds\":[0-9.]+,\"maxSeconds\":[0-9.]+,"
                    + "\"ratioToBaseline\":[0-9.]+,\"ratioToPgcopydb\":null,\"cpuSecondsMedian\":[0-9.]+,"
                    + "\"cpuSecondsPerGb\":[0-9.]+,\"startCpuSecondsMedian\":[0-9.]+,"
                    + "\"cpuSecondsPerGbBeyondStart\":-?[0-9.]+,\"peakRssBytes\":\\d+,\"verified\":true\\}");
        }
        assertThat(json).as("the baseline's ratio to itself").contains("\"ratioToBaseline\":1.000");
        assertThat(run.err()).as("the log names each round").contains("Round 1/1, ours-text", "Round 1/1, pg-dump-dir")
                .containsPattern("Round 1/1, ours-text: [0-9.]+ s, CPU [0-9.]+ s \\(an empty database's copy: [0-9.]+ s\\)")
                .doesNotContain("pgcopydb: ");
    }

    @Test
    @ExtendWith(PostgresPairExtension.class)
    void givenServersHoldingOneOfItsNamesAreRefusedAndLeftAlone(DatabasePair pair) {
        PostgresServer source = pair.source().server();
        source.createDatabase(BenchCommand.SOURCE_DATABASE);
        try {
            source.execute(BenchCommand.SOURCE_DATABASE, "CREATE TABLE mine (id int); INSERT INTO mine VALUES (1)");
            CommandRun run = CommandRun.inJar("bench", "--scale", "1", "--wide-rows", "0", "--rounds", "1",
                    "--ways", "pg-dump-dir", "--source", maintenance(source), "--target",
                    maintenance(pair.target().server()));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.errLines()).as(run.toString()).filteredOn(l -> l.startsWith("pgcopydb: ")).singleElement()
                    .asString().contains("database pgcopydb_bench_src already exists on ", "will not touch it");
            assertThat(new TestDatabase(source, BenchCommand.SOURCE_DATABASE).queryForLong("SELECT count(*) FROM mine"))
                    .as("the database bench did not create is untouched").isEqualTo(1);
        } finally {
            source.dropDatabase(BenchCommand.SOURCE_DATABASE);
        }
    }

    private static String maintenance(PostgresServer server) {
        return CommandRun.connectionString(new TestDatabase(server, server.maintenanceDatabase()));
    }
}
