package io.pgcopydb.cli;

import static io.pgcopydb.cli.CommandRun.connectionString;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import io.pgcopydb.testkit.sample.SampleDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * pgcopydb's step commands in a child JVM each, as scripts run them: {@code copy <step>} one after the other on one
 * work directory gives the copy {@code clone} gives; {@code dump schema} then {@code restore pre-data} and
 * {@code restore post-data} give the source's schema, {@code restore parse-list} showing what they skip, and
 * {@code dump roles} then {@code restore roles} the roles; bad input exits non-zero with one line.
 */
@ExtendWith(PostgresPairExtension.class)
class StepCommandsIT {

    @Test
    void eachCopyStepAloneInOrderOnOneDirectoryGivesTheCloneOfPagila(DatabasePair pair, @TempDir Path dir) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        pair.source().execute("SELECT lo_from_bytea(0, 'a large object'::bytea)");

        for (String step : List.of("roles", "extensions", "pre-data", "table-data", "sequences", "blobs", "indexes",
                "constraints", "post-data")) {
            CommandRun run = step(pair, dir, "copy", step);
            assertThat(run.exitCode()).as(step + ": " + run).isZero();
            assertThat(run.err()).as(step).isEmpty();
            assertThat(run.out()).as(step + ": the step table, as clone prints it")
                    .contains("Total Wall Clock Duration");
        }

        CommandRun.assertIdentical(pair);
    }

    @Test
    void dumpSchemaThenRestorePreAndPostDataGiveTheSourcesSchema(DatabasePair pair, @TempDir Path dir)
            throws Exception {
        pair.source().load(SampleDatabase.of(0.01));

        CommandRun dump = step(pair, dir, "dump", "schema");
        assertThat(dump.exitCode()).as(dump.toString()).isZero();
        assertThat(dump.out()).as("says where").contains("Dumped the schema of ")
                .contains(dir.resolve("schema.dump").toString());
        assertThat(Files.size(dir.resolve("schema.dump"))).isPositive();
        Path filters = dir.resolve("filters.ini");
        Files.writeString(filters, "[exclude-table]\nshop.order_lines\n");
        CommandRun lists = step(pair, dir, "restore", "parse-list", "--filters", filters.toString());
        assertThat(lists.exitCode()).as(lists.toString()).isZero();
        assertThat(lists.out()).as("both lists, what the filter leaves out commented out")
                .contains("-- " + dir.resolve("pre-data.list"), "-- " + dir.resolve("post-data.list"))
                .containsPattern("(?m)^;\\d+; \\d+ \\d+ TABLE shop order_lines ")
                .containsPattern("(?m)^\\d+; \\d+ \\d+ TABLE shop customers ");
        for (String section : List.of("pre-data", "post-data")) {
            CommandRun run = step(pair, dir, "restore", section);
            assertThat(run.exitCode()).as(section + ": " + run).isZero();
        }

        CommandRun compare = CommandRun.execute("compare", "schema", "--source", connectionString(pair.source()),
                "--target", connectionString(pair.target()));
        assertThat(compare.exitCode()).as(compare.toString()).isZero();

        String role = "steps_reader_" + ProcessHandle.current().pid();
        pair.source().server().execute(pair.source().server().maintenanceDatabase(), "CREATE ROLE " + role);
        try {
            CommandRun dumpRoles = step(pair, dir, "dump", "roles", "--no-role-passwords");
            assertThat(dumpRoles.exitCode()).as(dumpRoles.toString()).isZero();
            assertThat(dumpRoles.out()).contains("Dumped the roles of ", dir.resolve("roles.sql").toString());
            assertThat(Files.readString(dir.resolve("roles.sql"))).contains("CREATE ROLE " + role);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dir.resolve("roles.sql")))).as("it may hold password hashes").isEqualTo("rw-------");
            CommandRun restoreRoles = step(pair, dir, "restore", "roles", "--no-role-passwords");
            assertThat(restoreRoles.exitCode()).as(restoreRoles.toString()).isZero();
            assertThat(pair.target().queryForString("SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "'"))
                    .isEqualTo("1");
        } finally {
            pair.source().server().execute(pair.source().server().maintenanceDatabase(), "DROP ROLE " + role);
            pair.target().server().execute(pair.target().server().maintenanceDatabase(),
                    "DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void badInputExitsNonZeroWithOneLine(DatabasePair pair, @TempDir Path dir, @TempDir Path other) {
        pair.source().load(SampleDatabase.of(0.01));

        CommandRun unknown = step(pair, dir, "copy", "everything");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.errLines()).as(unknown.toString()).singleElement().asString()
                .startsWith("pgcopydb: ").contains("everything");

        CommandRun noTables = step(pair, dir, "copy", "indexes");
        assertThat(noTables.exitCode()).as(noTables.toString()).isNotZero();
        assertThat(noTables.errLines()).as(noTables.toString()).singleElement().asString()
                .startsWith("pgcopydb: ").contains("the target has no table")
                .contains("'pgcopydb copy pre-data'");

        CommandRun restore = step(pair, other, "restore", "post-data");
        assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(restore.errLines()).as(restore.toString()).singleElement().asString()
                .contains("no schema dump in").contains("dump schema");

        pair.target().execute("CREATE TABLE somebody_elses (id int)");
        CommandRun foreign = step(pair, other, "copy", "pre-data");
        assertThat(foreign.exitCode()).as(foreign.toString()).isNotZero();
        assertThat(foreign.errLines()).as(foreign.toString()).singleElement().asString()
                .contains("is not empty").contains("somebody_elses");
        assertThat(foreign.err()).doesNotContain("\tat ");
    }

    /** {@code pgcopydb <group> <name> --source … --target … --dir dir [more…]} in a child JVM. */
    private static CommandRun step(DatabasePair pair, Path dir, String group, String name, String... more) {
        List<String> args = new ArrayList<>(List.of(group, name, "--source", connectionString(pair.source()),
                "--target", connectionString(pair.target()), "--dir", dir.toString(), "--table-jobs", "2",
                "--index-jobs", "2", "--progress", "none"));
        args.addAll(List.of(more));
        return CommandRun.inChildJvm(Map.of(), args.toArray(String[]::new));
    }
}
