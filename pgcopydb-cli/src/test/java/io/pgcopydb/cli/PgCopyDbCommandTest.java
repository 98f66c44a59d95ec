package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line without any database: help, usage errors, exit codes and the one-line messages. */
class PgCopyDbCommandTest {

    @Test
    void helpExitsZeroAndListsTheCommands() {
        CommandRun run = CommandRun.execute("--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("clone", "copy", "demo");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void subcommandHelpShowsPgcopydbOptionNames() {
        CommandRun run = CommandRun.execute("copy", "db", "--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("pgcopydb copy db", "--source", "--target", "--table-jobs", "--index-jobs",
                "--restore-jobs", "--dir", "--not-consistent", "--skip-vacuum", "--skip-large-objects");
    }

    @Test
    void versionNamesTheTool() {
        CommandRun run = CommandRun.execute("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("pgcopydb ");
    }

    @Test
    void unknownOptionIsOneLineAndExitTwo() {
        CommandRun run = CommandRun.execute("clone", "--no-such-option");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                .startsWith("pgcopydb: ").contains("--no-such-option");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aMistypedOptionIsNamedWithTheOptionItWasMeantToBe() {
        CommandRun run = CommandRun.execute("clone", "--source", "postgres://u@src/db", "--target",
                "postgres://u@tgt/db", "--table-job", "3");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().isEqualTo("pgcopydb: unknown option '--table-job': did you mean "
                + "--table-jobs? (see 'pgcopydb clone --help')");
    }

    @Test
    void aMistypedCommandIsNamedWithTheCommandItWasMeantToBe() {
        assertThat(CommandRun.execute("clon", "--source", "postgres://u@src/db").errLines()).singleElement()
                .isEqualTo("pgcopydb: unknown command 'clon': did you mean clone? (see 'pgcopydb --help')");
        assertThat(CommandRun.execute("copy", "tabledata").errLines()).singleElement()
                .isEqualTo("pgcopydb: unknown command 'copy tabledata': did you mean copy table-data? "
                        + "(see 'pgcopydb copy --help')");
        assertThat(CommandRun.execute("clone", "--soruce", "x", "--tablejobs", "2", "--frobnicate").errLines())
                .singleElement().isEqualTo("pgcopydb: unknown options '--soruce' (did you mean --source?), "
                        + "'--tablejobs' (did you mean --table-jobs?), '--frobnicate' (see 'pgcopydb clone --help')");
        CommandRun extra = CommandRun.execute("clone", "--source", "postgres://u@src/db", "--target",
                "postgres://u@tgt/db", "extra");
        assertThat(extra.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(extra.errLines()).singleElement()
                .isEqualTo("pgcopydb: unexpected argument 'extra' (see 'pgcopydb clone --help')");
    }

    @Test
    void aBadFilterFileIsOneLineAndExitTwo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("filters.ini");
        java.nio.file.Files.writeString(file, "[exclude-table]\npublic.a\n[no-such-section]\nx\n");

        for (String option : new String[] {"--filters", "--filter"}) {
            CommandRun run = CommandRun.execute("clone", "--source", "postgres://u@src/db", "--target",
                    "postgres://u@tgt/db", option, file.toString());

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                    .startsWith("pgcopydb: --filters " + file).contains("no-such-section");
        }
        CommandRun missing = CommandRun.execute("clone", "--source", "postgres://u@src/db", "--target",
                "postgres://u@tgt/db", "--filters", dir.resolve("absent.ini").toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.errLines()).singleElement().asString().contains("cannot read the file");
    }

    @Test
    void stepCommandsRefuseWhatBelongsToAWholeCopyInOneUsageLine(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String[] base = {"--source", "postgres://u@src/db", "--target", "postgres://u@tgt/db", "--dir",
            dir.toString()};
        CommandRun roles = CommandRun.execute(concat(new String[] {"copy", "table-data", "--roles"}, base));
        assertThat(roles.exitCode()).as(roles.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(roles.errLines()).containsExactly("pgcopydb: --roles belongs to clone and copy db: copy the roles "
                + "with 'pgcopydb copy roles'");

        CommandRun noDump = CommandRun.execute(concat(new String[] {"restore", "pre-data"}, base));
        assertThat(noDump.exitCode()).as(noDump.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noDump.errLines()).containsExactly("pgcopydb: no schema dump in " + dir + ": run 'pgcopydb dump "
                + "schema' with the same --dir (and --source/--target) first");

        CommandRun group = CommandRun.execute("restore");
        assertThat(group.exitCode()).as(group.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(group.errLines()).singleElement().asString().startsWith("pgcopydb: missing subcommand: use "
                + "'pgcopydb restore schema|pre-data|post-data|roles|parse-list'");
    }

    @Test
    void resumeAndRestartTogetherAreOneUsageLine() {
        CommandRun run = CommandRun.execute("clone", "--source", "postgres://u@src/db", "--target",
                "postgres://u@tgt/db", "--resume", "--restart", "--not-consistent");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).containsExactly(
                "pgcopydb: resume() continues the earlier copy and restart() discards it: use one");
    }

    @Test
    void badSizesDurationsAndSnapshotsAreOneUsageLineEach() {
        String[] base = {"clone", "--source", "postgres://u@src/db", "--target", "postgres://u@tgt/db"};
        CommandRun size = CommandRun.execute(concat(base, "--split-tables-larger-than", "10XB"));
        CommandRun duration = CommandRun.execute(concat(base, "--timeout", "0"));
        CommandRun snapshot = CommandRun.execute(concat(base, "--snapshot", "not a snapshot"));

        assertThat(size.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(size.errLines()).containsExactly("pgcopydb: --split-tables-larger-than 10XB is not a size: give "
                + "bytes or a number with kB, MB, GB or TB, e.g. 10GB");
        assertThat(duration.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(duration.errLines()).containsExactly(
                "pgcopydb: --timeout 0 is not a positive duration: give e.g. 90s, 30m or 2h");
        assertThat(snapshot.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(snapshot.errLines()).singleElement().asString().startsWith("pgcopydb: --snapshot: snapshot must "
                + "look like 00000003-0000001B-1");
        CommandRun memory = CommandRun.execute(concat(base, "--maintenance-work-mem", "512kB"));
        assertThat(memory.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(memory.errLines()).containsExactly("pgcopydb: --maintenance-work-mem 512kB is out of PostgreSQL's "
                + "range: give 1MB to 2TB, e.g. 512MB");
        CommandRun notASize = CommandRun.execute(concat(base, "--maintenance-work-mem", "lots"));
        assertThat(notASize.errLines()).containsExactly("pgcopydb: --maintenance-work-mem lots is not a size: give "
                + "bytes or a number with kB, MB, GB or TB, e.g. 10GB");
    }

    @Test
    void sizesAndDurationsReadAsPgcopydbWritesThem() {
        assertThat(Sizes.parseBytes("x", "1024")).isEqualTo(1024);
        assertThat(Sizes.parseBytes("x", "64kB")).isEqualTo(64 * 1024);
        assertThat(Sizes.parseBytes("x", "512MB")).isEqualTo(512L << 20);
        assertThat(Sizes.parseBytes("x", "10 GB")).isEqualTo(10L << 30);
        assertThat(Sizes.parseBytes("x", "1tb")).isEqualTo(1L << 40);
        assertThat(Sizes.memorySetting("x", "512MB")).isEqualTo("524288kB");
        assertThat(Sizes.memorySetting("x", "1MB")).isEqualTo("1024kB");
        assertThat(Sizes.parseDuration("x", "90")).hasSeconds(90);
        assertThat(Sizes.parseDuration("x", "30m")).hasMinutes(30);
        assertThat(Sizes.parseDuration("x", "2h")).hasHours(2);
        assertThat(Sizes.parseDuration("x", "500ms")).hasMillis(500);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void zeroTableJobsIsRejectedWithOneLine() {
        CommandRun run = CommandRun.execute("clone", "--source", "postgres://u@src/db", "--target",
                "postgres://u@tgt/db", "--table-jobs", "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).containsExactly("pgcopydb: --table-jobs must be >= 1, was 0");
    }

    @Test
    void zeroJobsFromTheEnvironmentNamesTheVariable() {
        CommandRun run = CommandRun.execute(Map.of("PGCOPYDB_INDEX_JOBS", "0"), "copy", "db",
                "--source", "postgres://u@src/db", "--target", "postgres://u@tgt/db");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).containsExactly("pgcopydb: PGCOPYDB_INDEX_JOBS must be >= 1, was 0: fix or unset it");
    }

    @Test
    void malformedSourceNeverShowsItsPassword() {
        CommandRun run = CommandRun.execute("clone", "--source", "postgres://bob:Sup3rS3cret@db.example:notaport/app",
                "--target", "postgres://u@tgt/db");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString().startsWith("pgcopydb: --source");
        assertThat(run.out() + run.err()).doesNotContain("Sup3rS3cret");
    }

    @Test
    void passwordTypedAsAStrayArgumentIsMasked() {
        CommandRun run = CommandRun.execute("clone", "postgres://bob:Sup3rS3cret@db.example/app");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.out() + run.err()).doesNotContain("Sup3rS3cret");
    }

    @Test
    void missingTargetNamesTheOptionAndTheVariable() {
        CommandRun run = CommandRun.execute("clone", "--source", "postgres://u@src/db");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("pgcopydb: ").contains("--target", "PGCOPYDB_TARGET_PGURI");
    }

    @Test
    void sourceFromTheEnvironmentIsParsedToo() {
        CommandRun run = CommandRun.execute(Map.of("PGCOPYDB_SOURCE_PGURI", "postgres://bob:Sup3rS3cret@h:bad/db"),
                "clone", "--target", "postgres://u@tgt/db");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString().startsWith("pgcopydb: PGCOPYDB_SOURCE_PGURI");
        assertThat(run.err()).doesNotContain("Sup3rS3cret");
    }

    @Test
    void noCommandIsAUsageError() {
        CommandRun run = CommandRun.execute();

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).hasSize(1);
    }

    @Test
    void demoRejectsHalfAPair() {
        CommandRun run = CommandRun.execute("demo", "--source", "postgres://u@src/db");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString().contains("--source", "--target");
    }

    @Test
    void debugPrintsTheStackTraceAfterTheLine() {
        CommandRun run = CommandRun.execute("clone", "--debug", "--source", "postgres://u@src/db");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines().get(0)).startsWith("pgcopydb: missing --target");
        assertThat(run.err()).contains("UsageException", "\tat ");
    }

    @Test
    void secretsAreMaskedInUriAndKeywordForms() {
        assertThat(Secrets.mask("postgres://bob:pw@h/db and host=h password='a b' user=x and ?password=zz&x=1"))
                .isEqualTo("postgres://bob:****@h/db and host=h password=**** user=x and ?password=****&x=1");
    }

    @Test
    void snapshotPrintsTheBareIdOrOneJsonObject() {
        assertThat(SnapshotCommand.output("00000003-000000F5-1", null, false)).isEqualTo("00000003-000000F5-1");
        Map<String, Object> json = Json.object(SnapshotCommand.output("00000003-000000F5-1",
                java.nio.file.Path.of("/tmp/work \"a\"/snapshot"), true));
        assertThat(json).containsEntry("snapshot", "00000003-000000F5-1")
                .containsEntry("file", "/tmp/work \"a\"/snapshot");
        assertThat(Json.object(SnapshotCommand.output("id", null, true))).containsEntry("file", null);
    }
}
