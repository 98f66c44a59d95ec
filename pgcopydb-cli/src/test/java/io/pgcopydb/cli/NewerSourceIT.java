package io.pgcopydb.cli;

import static io.pgcopydb.cli.CommandRun.connectionString;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPair;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL 17 source with only older client tools on the machine: {@code clone} refuses it in preflight, as
 * for other preflight problems (exit 4), with one line that names the remedy in the tool's flags, and writes
 * nothing.
 */
class NewerSourceIT {

    @Test
    @PostgresPair(source = 17, target = 15)
    void aSourceNewerThanEveryPgDumpIsRefusedWithOneLine(DatabasePair pair) throws Exception {
        Assumptions.assumeFalse(packagedToolsOf(17), "this machine has PostgreSQL 17's client tools or newer");
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");

        CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()), "--target",
                connectionString(pair.target()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.errLines()).as(run.toString()).anyMatch(l -> l.contains("pg_dump 15 cannot dump a "
                + "PostgreSQL 17 server") && l.contains("--pg-bin"));
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(pair.target().queryForLong("SELECT count(*) FROM pg_class WHERE relname = 't'"))
                .as("nothing written").isZero();
    }

    private static boolean packagedToolsOf(int major) throws Exception {
        Path packaged = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(packaged)) {
            return false;
        }
        try (var dirs = Files.list(packaged)) {
            return dirs.map(d -> d.getFileName().toString()).filter(n -> n.matches("\\d+"))
                    .anyMatch(n -> Integer.parseInt(n) >= major);
        }
    }
}
