package io.pgcopydb.cli;

import static io.pgcopydb.cli.CommandRun.connectionString;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.SampleDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare schema|data}: identical after a copy (exit 0, a final line with the counts), then any difference
 * makes it exit 6 and names what differs; {@code clone --verify} fails the copy on a difference.
 */
@ExtendWith(PostgresPairExtension.class)
class CompareCommandIT {

    @Test
    void identicalAfterACopyThenADifferenceExitsSixAndIsNamed(DatabasePair pair) {
        pair.source().load(SampleDatabase.of(0.02));
        String source = connectionString(pair.source());
        String target = connectionString(pair.target());
        CommandRun copy = CommandRun.execute("clone", "--source", source, "--target", target, "--verify");
        assertThat(copy.exitCode()).as(copy.toString()).isZero();

        CommandRun schema = CommandRun.execute("compare", "schema", "--source", source, "--target", target);
        assertThat(schema.exitCode()).as(schema.toString()).isZero();
        assertThat(lastLine(schema.out())).matches("compared \\d+ schema objects: identical");
        CommandRun data = CommandRun.execute("compare", "data", "--source", source, "--target", target,
                "--table-jobs", "2");
        assertThat(data.exitCode()).as(data.toString()).isZero();
        assertThat(data.out()).containsPattern("Schema \\| +Name +\\| Source rows \\| Target rows \\| Result");
        assertThat(lastLine(data.out())).matches("compared \\d+ tables \\([0-9,]+ rows\\): identical");

        pair.target().execute("UPDATE shop.customers SET email = email || '.changed'"
                + " WHERE customer_id = (SELECT min(customer_id) FROM shop.customers)");
        CommandRun changed = CommandRun.execute("compare", "data", "--source", source, "--target", target);
        assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(ExitCodes.DIFFERENT);
        assertThat(changed.out()).containsPattern("customers +\\| +\\d+ \\| +\\d+ \\| DIFFERENT");
        assertThat(lastLine(changed.out())).contains("1 table(s) with differing rows");
        CommandRun json = CommandRun.execute("compare", "data", "--source", source, "--target", target, "--json");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.DIFFERENT);
        assertThat(json.out()).startsWith("{\"identical\":false").contains("\"name\":\"customers\"");

        pair.target().execute("ALTER TABLE shop.customers ALTER COLUMN email SET DEFAULT 'nobody@example.com'");
        CommandRun schemaChanged = CommandRun.execute("compare", "schema", "--source", source, "--target", target);
        assertThat(schemaChanged.exitCode()).as(schemaChanged.toString()).isEqualTo(ExitCodes.DIFFERENT);
        assertThat(schemaChanged.out()).contains("column shop.customers.email default");
    }

    @Test
    void whatACopyLeftOutOnPurposeIsLeftOutWithTheSameFlag(DatabasePair pair) {
        String role = "cmp_owner_" + ProcessHandle.current().pid();
        String table = "CREATE TABLE t (id int PRIMARY KEY); COMMENT ON TABLE t IS 'kept'";
        pair.source().execute(table);
        pair.target().execute(table + "; CREATE ROLE " + role + "; ALTER TABLE t OWNER TO " + role);
        try {
            String[] compare = {"compare", "schema", "--source", connectionString(pair.source()), "--target",
                connectionString(pair.target())};
            CommandRun strict = CommandRun.execute(compare);
            assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(ExitCodes.DIFFERENT);
            assertThat(strict.out()).contains("table public.t owner");

            String[] noOwner = java.util.Arrays.copyOf(compare, compare.length + 1);
            noOwner[compare.length] = "--no-owner";
            CommandRun lenient = CommandRun.execute(noOwner);
            assertThat(lenient.exitCode()).as(lenient.toString()).isZero();
        } finally {
            pair.target().execute("DROP TABLE t; DROP ROLE " + role);
        }
    }

    @Test
    void pgBinNamesThePgDumpOfTheSchemaComparison(DatabasePair pair, @TempDir Path empty) {
        Path bin = pair.source().server().binDirectory().orElse(null);
        Assumptions.assumeTrue(bin != null, "the source server's bin directory is unknown");
        String[] compare = {"compare", "schema", "--source", connectionString(pair.source()), "--target",
            connectionString(pair.target()), "--pg-bin"};

        CommandRun given = CommandRun.execute(concat(compare, bin.toString()));
        CommandRun nothing = CommandRun.execute(concat(compare, empty.toString()));

        assertThat(given.exitCode()).as(given.toString()).isZero();
        assertThat(lastLine(given.out())).matches("compared \\d+ schema objects: identical");
        assertThat(nothing.exitCode()).as(nothing.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(String.join("\n", nothing.errLines())).contains("--pg-bin: clientTools must be a directory "
                + "holding pg_dump and pg_restore, was " + empty);
    }

    private static String[] concat(String[] args, String last) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = last;
        return out;
    }

    private static String lastLine(String out) {
        List<String> lines = out.strip().lines().toList();
        return lines.get(lines.size() - 1);
    }
}
