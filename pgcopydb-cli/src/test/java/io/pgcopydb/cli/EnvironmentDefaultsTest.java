package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Options from their environment variables and the log settings, without a database: the variables' names in the
 * help, precedence, the one-line refusals, the flag words.
 */
class EnvironmentDefaultsTest {
    private static final String SOURCE = "postgres://u@src/db";
    private static final String TARGET = "postgres://u@tgt/db";

    @Test
    void everyCommandsHelpHasTheSectionOnce() {
        // picocli copies the root's section keys into the subcommands: the section was printed twice there.
        List<CommandLine> all = new java.util.ArrayList<>(List.of(PgCopyDbCommand.newCommandLine(
                new CliContext(Map.of()))));
        for (int i = 0; i < all.size(); i++) {
            all.get(i).getSubcommands().values().stream().distinct().forEach(all::add);
        }
        assertThat(all).hasSizeGreaterThan(10);
        for (CommandLine command : all) {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(help.split("Environment \\(a flag on the command line wins\\):", -1))
                    .as(command.getCommandSpec().qualifiedName()).hasSize(2);
        }
    }

    @Test
    void eachCommandsHelpListsTheVariablesItReads() {
        String clone = CommandRun.execute("clone", "--help").out();
        assertThat(clone).contains("Environment (a flag on the command line wins):", "PGCOPYDB_SOURCE_PGURI",
                "PGCOPYDB_TARGET_PGURI", "PGCOPYDB_TABLE_JOBS", "PGCOPYDB_INDEX_JOBS", "PGCOPYDB_RESTORE_JOBS",
                "PGCOPYDB_LARGE_OBJECTS_JOBS", "PGCOPYDB_SPLIT_TABLES_LARGER_THAN", "PGCOPYDB_SPLIT_MAX_PARTS",
                "PGCOPYDB_SKIP_CTID_SPLIT", "PGCOPYDB_DROP_IF_EXISTS", "PGCOPYDB_SNAPSHOT", "PGCOPYDB_SKIP_VACUUM",
                "PGCOPYDB_DIR", "PGCOPYDB_FAIL_FAST", "PGCOPYDB_USE_COPY_BINARY", "PGCOPYDB_SKIP_DB_PROPERTIES",
                "PGCOPYDB_LOG_LEVEL", "PGCOPYDB_LOG_JSON", "PGPASSWORD");
        assertThat(clone).as("command-line only, hidden aliases, help")
                .doesNotContain("PGCOPYDB_RESTART", "PGCOPYDB_DEBUG", "PGCOPYDB_QUIET", "PGCOPYDB_JOBS ",
                        "PGCOPYDB_SKIP_BLOBS", "PGCOPYDB_HELP");
        assertThat(CommandRun.execute("compare", "--help").out()).contains("PGCOPYDB_TABLE_JOBS",
                "PGCOPYDB_SOURCE_PGURI", "PGCOPYDB_NO_OWNER");
        assertThat(CommandRun.execute("demo", "--help").out()).as("the demo touches no server from the environment")
                .contains("PGCOPYDB_TABLE_JOBS").doesNotContain("PGCOPYDB_SOURCE_PGURI", "PGCOPYDB_TARGET_PGURI");
    }

    @Test
    void aFlagOnTheCommandLineWinsOverItsVariableWhichIsThenNotEvenRead() {
        CommandRun run = CommandRun.execute(Map.of("PGCOPYDB_TABLE_JOBS", "lots"), "clone", "--table-jobs", "2",
                "--source", "postgres://u@h:notaport/db", "--target", TARGET);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString().startsWith("pgcopydb: --source");
    }

    @Test
    void aBadFlagVariableIsOneLineNamingItAndTheFix() {
        CommandRun run = CommandRun.execute(Map.of("PGCOPYDB_FAIL_FAST", "maybe"), "clone", "--source", SOURCE,
                "--target", TARGET);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).containsExactly("pgcopydb: PGCOPYDB_FAIL_FAST (--fail-fast) must be true or false "
                + "(or yes/no, on/off, 1/0), was 'maybe': fix or unset it (see 'pgcopydb clone --help')");
    }

    @Test
    void aFlagVariableSwitchesTheFlagOn() {
        // --no-role-passwords needs --roles: the refusal proves the variable switched it on.
        CommandRun on = CommandRun.execute(Map.of("PGCOPYDB_NO_ROLE_PASSWORDS", "Yes"), "clone", "--source", SOURCE,
                "--target", TARGET);
        assertThat(on.exitCode()).as(on.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(on.errLines()).containsExactly("pgcopydb: --no-role-passwords only applies with --roles");

        CommandRun off = CommandRun.execute(Map.of("PGCOPYDB_NO_ROLE_PASSWORDS", "off", "PGCOPYDB_STRATEGY", "fast"),
                "clone", "--source", SOURCE, "--target", TARGET);
        assertThat(off.errLines()).as("off leaves it off; the next check, a value option's, speaks")
                .containsExactly("pgcopydb: PGCOPYDB_STRATEGY must be auto, template or stream, was fast: fix or unset it");
    }

    @Test
    void theHelpIsShownEvenWithABadVariable() {
        CommandRun run = CommandRun.execute(Map.of("PGCOPYDB_TABLE_JOBS", "x", "PGCOPYDB_LOG_LEVEL", "loud"),
                "clone", "--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aBadLogVariableIsOneLine() {
        CommandRun run = CommandRun.execute(Map.of("PGCOPYDB_LOG_JSON", "sure"), "clone", "--source", SOURCE,
                "--target", TARGET);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("pgcopydb: PGCOPYDB_LOG_JSON must be true or false").contains("was 'sure': fix or unset it");
    }

    @Test
    void flagWords() {
        for (String on : List.of("true", "TRUE", "yes", "On", "1", " true ")) {
            assertThat(EnvironmentDefaults.bool(on)).as(on).contains(true);
        }
        for (String off : List.of("false", "No", "off", "0")) {
            assertThat(EnvironmentDefaults.bool(off)).as(off).contains(false);
        }
        for (String bad : List.of("", "y", "2", "enabled")) {
            assertThat(EnvironmentDefaults.bool(bad)).as(bad).isEqualTo(Optional.empty());
        }
    }

    @Test
    void theLastLevelFlagWinsThenTheVariableThenInfo() {
        Map<String, String> none = Map.of();
        assertThat(Logging.settings(List.of("clone"), none)).isEqualTo(new Logging.Settings(Logging.Level.INFO, false));
        assertThat(Logging.settings(List.of("--quiet", "clone", "--debug"), none).level()).isEqualTo(Logging.Level.DEBUG);
        assertThat(Logging.settings(List.of("clone", "--notice"), Map.of("PGCOPYDB_LOG_LEVEL", "error")).level())
                .isEqualTo(Logging.Level.NOTICE);
        assertThat(Logging.settings(List.of("clone"), Map.of("PGCOPYDB_LOG_LEVEL", "Warn")).level())
                .isEqualTo(Logging.Level.WARN);
        assertThat(Logging.settings(List.of("clone", "--", "--debug"), none).level()).as("after --")
                .isEqualTo(Logging.Level.INFO);
        assertThat(Logging.settings(List.of(), Map.of("PGCOPYDB_LOG_JSON", "on")).json()).isTrue();
        assertThat(Logging.settings(List.of(), Map.of("PGCOPYDB_LOG_LEVEL", "loud")).level()).as("reported apart")
                .isEqualTo(Logging.Level.INFO);
        assertThat(Logging.problem(Map.of("PGCOPYDB_LOG_LEVEL", "loud"))).isPresent();
        assertThat(Logging.problem(Map.of("PGCOPYDB_LOG_LEVEL", "debug", "PGCOPYDB_LOG_JSON", "0"))).isEmpty();
    }

    @Test
    void aJsonLogLineIsOneObjectWithTheMessageMasked() {
        String line = JsonLogProvider.line("INFO", "io.pgcopydb.X", "to postgres://bob:s3cret@h/db\n\"quoted\"\ttab",
                new IllegalStateException("boom"));

        assertThat(line).doesNotContain("\n", "s3cret");
        Map<String, Object> parsed = Json.object(line);
        assertThat(parsed).containsEntry("level", "INFO").containsEntry("logger", "io.pgcopydb.X")
                .containsEntry("message", "to postgres://bob:****@h/db\n\"quoted\"\ttab")
                .containsEntry("exception", "java.lang.IllegalStateException: boom").containsKeys("time", "thread");
    }
}
