package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.fault.FakeClientTools;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code pgcopydb clone} run in-process against two real servers. */
@ExtendWith(PostgresPairExtension.class)
class CloneCommandIT {

    @Test
    void clonesPagilaAndPrintsTheSummary(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());

        CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()),
                "--target", connectionString(pair.target()), "--table-jobs", "2", "--index-jobs", "2");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        // Columns are right-aligned to their longest value, so "Name" is padded.
        assertThat(run.out()).as("the per-table summary").containsPattern("OID \\| Schema \\| +Name \\| Parts");
        assertThat(run.out()).as("the step summary").contains("Total Wall Clock Duration");
        assertThat(run.out().lines().findFirst()).as("the versions line first").hasValueSatisfying(line ->
                assertThat(line).matches("source PostgreSQL \\S+ → target PostgreSQL \\S+, pg_dump/pg_restore \\S+ "
                        + "\\(/.+\\)"));
        assertThat(run.err()).as("nothing on stderr after a success").isEmpty();
        CommandRun.assertIdentical(pair);
    }

    @Test
    void unreachableTargetExitsThreeWithOneLine(DatabasePair pair) {
        CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()),
                "--target", "postgres://postgres@127.0.0.1:1/x");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONNECTION_FAILED);
        assertThat(run.errLines()).as(run.toString()).singleElement().asString().startsWith("pgcopydb: ");
        assertThat(run.err()).as("no stack trace without --debug").doesNotContain("\tat ", "Exception");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aWrongPasswordExitsThreeWithOneLineAndNoPassword(DatabasePair pair) {
        String role = "cli_pw_" + ProcessHandle.current().pid();
        PostgresServer server = pair.target().server();
        server.createPasswordRole(role, "RightPw7d1");
        try {
            String target = "postgres://" + role + ":WrongPw5c2@" + server.host() + ":" + server.port() + "/"
                    + pair.target().name();

            CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()),
                    "--target", target);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONNECTION_FAILED);
            assertThat(run.errLines()).as(run.toString()).containsExactly("pgcopydb: preflight failed: cannot "
                    + "connect to the target postgres://" + role + "@" + server.host() + ":" + server.port() + "/"
                    + pair.target().name() + ": FATAL: password authentication failed for user \"" + role + "\": "
                    + "check the user name and password");
            assertThat(run.out() + run.err()).doesNotContain("WrongPw5c2", "RightPw7d1");
        } finally {
            server.execute(server.maintenanceDatabase(), "DROP ROLE " + role);
        }
    }

    @Test
    void anUnknownSourceDatabaseExitsThreeWithOneLine(DatabasePair pair) {
        // A missing target database is created; a missing source is a connection failure.
        PostgresServer server = pair.source().server();
        String source = connectionString(new TestDatabase(server, "no_such_db"));

        CommandRun run = CommandRun.execute("clone", "--source", source, "--target", connectionString(pair.target()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONNECTION_FAILED);
        assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                .startsWith("pgcopydb: preflight failed: cannot connect to the source ")
                .endsWith(": FATAL: database \"no_such_db\" does not exist: check the database name, or create the "
                        + "database first");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aTargetThatDoesNotExistOnTheSourcesServerIsMadeByTemplate(DatabasePair pair) {
        pair.source().execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1)");
        TestDatabase target = new TestDatabase(pair.source().server(), pair.source().name() + "_cli");
        try {
            CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()), "--target",
                    connectionString(target));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("Strategy: template (same server");
            assertThat(target.queryForLong("SELECT count(*) FROM t")).isEqualTo(1);
        } finally {
            pair.source().server().execute("postgres", "DROP DATABASE IF EXISTS \"" + target.name() + "\"");
        }
    }

    @Test
    void strategyTemplateBetweenTwoServersExitsFourWithOneLine(DatabasePair pair) {
        CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()), "--target",
                connectionString(pair.target()), "--strategy", "template");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                .startsWith("pgcopydb: strategy(TEMPLATE) refused: different servers (system identifier ")
                .endsWith("use --strategy stream or AUTO between servers");
    }

    @Test
    void aNonEmptyTargetExitsFourWithOneLineAndIsLeftAlone(DatabasePair pair) {
        pair.source().execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1)");
        pair.target().execute("CREATE TABLE keep (id int); INSERT INTO keep VALUES (42)");

        CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()),
                "--target", connectionString(pair.target()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.errLines()).as(run.toString()).containsExactly("pgcopydb: preflight failed: target database "
                + pair.target().name() + " is not empty (1 relations, e.g. public.keep): copy into an empty "
                + "database, or use --drop-if-exists to replace an older copy");
        assertThat(pair.target().queryForString("SELECT string_agg(id::text, ',') FROM keep")).isEqualTo("42");
        assertThat(pair.target().queryForString("SELECT to_regclass('public.t')")).isNull();
    }

    @Test
    void theSameDatabaseTwiceExitsFourWithOneLine(DatabasePair pair) {
        CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()),
                "--target", connectionString(pair.source()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                .startsWith("pgcopydb: preflight failed: source and target are the same database (")
                .endsWith("): give a different target");
    }

    @Test
    void clientToolsMissingExitFourWithOneLine(DatabasePair pair, @TempDir Path dir) {
        Path empty = dir.resolve("empty-bin");
        Path pgConfig = FakeClientTools.pgConfig(dir, empty);

        CommandRun run = CommandRun.inChildJvm(Map.of("PG_CONFIG", pgConfig.toString()), "clone",
                "--source", connectionString(pair.source()), "--target", connectionString(pair.target()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.errLines()).as(run.toString()).containsExactly("pgcopydb: preflight failed: pg_dump and "
                + "pg_restore not found in " + empty + " (the bindir of PG_CONFIG=" + pgConfig + "): install the "
                + "PostgreSQL client tools there, or set PG_CONFIG to the pg_config of PostgreSQL "
                + sourceMajor(pair) + " or newer, or unset it to search PATH and /usr/lib/postgresql/*/bin");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aPgDumpOlderThanTheSourceExitsFourWithOneLine(DatabasePair pair, @TempDir Path dir) {
        Path old = FakeClientTools.binDirectory(dir.resolve("bin"), "9.6.0");
        Path pgConfig = FakeClientTools.pgConfig(dir, old);
        int major = sourceMajor(pair);

        CommandRun run = CommandRun.inChildJvm(Map.of("PG_CONFIG", pgConfig.toString()), "clone",
                "--source", connectionString(pair.source()), "--target", connectionString(pair.target()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.errLines()).as(run.toString()).containsExactly("pgcopydb: preflight failed: pg_dump 9 "
                + "cannot dump a PostgreSQL " + major + " server (" + old + ", the bindir of PG_CONFIG=" + pgConfig
                + "): set PG_CONFIG to the pg_config of PostgreSQL " + major + " or newer, or unset it to "
                + "search PATH and /usr/lib/postgresql/*/bin");
    }

    @Test
    void aPgBinTooOldForTheSourceExitsFourWithTheFlagInTheRemedy(DatabasePair pair, @TempDir Path dir) {
        Path old = FakeClientTools.binDirectory(dir.resolve("bin"), "12.22");
        int major = sourceMajor(pair);

        CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()),
                "--target", connectionString(pair.target()), "--pg-bin", old.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.errLines()).as(run.toString()).containsExactly("pgcopydb: preflight failed: pg_dump 12 "
                + "cannot dump a PostgreSQL " + major + " server (" + old + ", given by --pg-bin " + old + "): give "
                + "--pg-bin DIR the bin directory of PostgreSQL " + major + "'s client tools or newer");
    }

    @Test
    void aPgBinWithoutTheToolsIsAUsageError(DatabasePair pair, @TempDir Path dir) {
        CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()),
                "--target", connectionString(pair.target()), "--pg-bin", dir.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(String.join("\n", run.errLines())).as(run.toString())
                .contains("--pg-bin: clientTools must be a directory holding pg_dump and pg_restore, was " + dir);
    }

    @Test
    void aTargetRefusingTheRoleAndMissingToolsShareTheOneLine(DatabasePair pair, @TempDir Path dir) {
        // Not a missing target database: the library creates that one now.
        Path nowhere = dir.resolve("nowhere/pg_config");
        PostgresServer server = pair.target().server();
        String target = "postgres://no_such_role@" + server.host() + ":" + server.port() + "/" + pair.target().name();

        CommandRun run = CommandRun.inChildJvm(Map.of("PG_CONFIG", nowhere.toString()), "clone",
                "--source", connectionString(pair.source()), "--target", target);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONNECTION_FAILED);
        assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                .startsWith("pgcopydb: preflight failed: cannot connect to the target ")
                .contains("no_such_role")
                .contains("; PG_CONFIG=" + nowhere + " could not be run")
                .endsWith("or unset it to search PATH and /usr/lib/postgresql/*/bin");
        assertThat(run.err()).as("no stack trace without --debug").doesNotContain("\tat ", "Exception");
    }

    private static int sourceMajor(DatabasePair pair) {
        return pair.source().server().serverVersionNum() / 10000;
    }

    @Test
    void aWorkDirectoryLockedByAnotherRunExitsFourWithOneLine(DatabasePair pair, @TempDir Path dir)
            throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("work"));
        try (java.nio.channels.FileChannel held = java.nio.channels.FileChannel.open(dir.resolve("work/lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock lock = held.lock()) {
            CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()),
                    "--target", connectionString(pair.target()), "--dir", dir.resolve("work").toString());

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                    .isEqualTo("pgcopydb: preflight failed: the work directory " + dir.resolve("work")
                            + " is in use by another live run: wait for it to end, or give another directory with "
                            + "--dir DIR");
        }
    }

    @Test
    void aRelativeDirIsUnderTheCurrentDirectory(DatabasePair pair, @TempDir Path cwd) {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY, v text);"
                + "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g");

        // Seen in use: a bare name ("--dir work") failed in preflight with a NullPointerException (no parent).
        CommandRun run = CommandRun.inChildJvm(cwd, Map.of(), "clone", "--source", connectionString(pair.source()),
                "--target", connectionString(pair.target()), "--dir", "work");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        CommandRun.assertIdentical(pair);
        assertThat(cwd.resolve("work")).as("the given directory, kept, with the run's schema dump")
                .isDirectoryContaining("glob:**/schema.dump");
    }

    @Test
    void resumeWithNothingToResumeAndNoSnapshotChoiceNamesBothRemedies(DatabasePair pair, @TempDir Path dir) {
        CommandRun run = CommandRun.execute("clone", "--source", connectionString(pair.source()),
                "--target", connectionString(pair.target()), "--dir", dir.toString(), "--resume");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                .isEqualTo("pgcopydb: preflight failed: the work directory " + dir + " holds no interrupted copy "
                        + "to resume: run without --resume (or give the directory of the interrupted run with --dir "
                        + "DIR); --resume needs --not-consistent or --snapshot ID: the interrupted run's snapshot died "
                        + "with it, and a new one would not match the rows it copied: add --not-consistent, or "
                        + "--snapshot ID naming a snapshot a live session exported");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    private static String connectionString(TestDatabase db) {
        return CommandRun.connectionString(db);
    }
}
