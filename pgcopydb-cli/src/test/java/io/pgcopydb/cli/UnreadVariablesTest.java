package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class UnreadVariablesTest {
    private static final CliContext CONTEXT = new CliContext(Map.of());

    @Test
    void aMistypedVariableIsNamedWithTheVariableItWasMeantToBe() {
        CommandLine clone = PgCopyDbCommand.newCommandLine(CONTEXT, new String[] {"clone"});

        assertThat(UnreadVariables.warnings(Map.of("PGCOPYDB_TABLEJOBS", "8", "PGCOPYDB_SKIP_VACUM", "true",
                "PGCOPYDB_LOG_LEVELS", "debug", "PATH", "/bin"), clone, whole())).containsExactly(
                        "PGCOPYDB_LOG_LEVELS is set, but no pgcopydb command reads it: did you mean "
                                + "PGCOPYDB_LOG_LEVEL?",
                        "PGCOPYDB_SKIP_VACUM is set, but no pgcopydb command reads it: did you mean "
                                + "PGCOPYDB_SKIP_VACUUM?",
                        "PGCOPYDB_TABLEJOBS is set, but no pgcopydb command reads it: did you mean "
                                + "PGCOPYDB_TABLE_JOBS?");
    }

    @Test
    void variablesThatAreReadOrLikeNoneAreNotNamedAndTheWholeTreeIsNotBuilt() {
        CommandLine clone = PgCopyDbCommand.newCommandLine(CONTEXT, new String[] {"clone"});
        AtomicInteger built = new AtomicInteger();
        Supplier<CommandLine> whole = () -> {
            built.incrementAndGet();
            return PgCopyDbCommand.newCommandLine(CONTEXT);
        };

        assertThat(UnreadVariables.warnings(Map.of("PGCOPYDB_TABLE_JOBS", "8", "PGCOPYDB_SOURCE_PGURI", "x",
                "PGCOPYDB_JAVA_OPTS", "-Xmx1g", "PGCOPYDB_LOG_JSON", "true", "PGCOPYDB_SOMETHING_ELSE_ENTIRELY", "1"),
                clone, whole)).isEmpty();
        assertThat(built).hasValue(0);
    }

    @Test
    void aVariableAnotherCommandReadsIsNoMistake() {
        // This command reads PGCOPYDB_TABLE_JOB; PGCOPYDB_TABLE_JOBS looks like a typo of it, but clone reads it.
        CommandLine narrow = new CommandLine(new Narrow());
        AtomicInteger built = new AtomicInteger();

        assertThat(UnreadVariables.warnings(Map.of("PGCOPYDB_TABLE_JOBS", "8"), narrow, () -> {
            built.incrementAndGet();
            return PgCopyDbCommand.newCommandLine(CONTEXT);
        })).isEmpty();
        assertThat(built).hasValue(1);
        assertThat(UnreadVariables.warnings(Map.of("PGCOPYDB_TABLE_JOBZ", "8"), narrow, whole())).containsExactly(
                "PGCOPYDB_TABLE_JOBZ is set, but no pgcopydb command reads it: did you mean PGCOPYDB_TABLE_JOB?");
    }

    @Test
    void theWholeTreeReadsEveryVariableOfEachBranch() {
        assertThat(UnreadVariables.variables(PgCopyDbCommand.newCommandLine(CONTEXT)))
                .contains("PGCOPYDB_SOURCE_PGURI", "PGCOPYDB_TABLE_JOBS", "PGCOPYDB_SKIP_CTID_SPLIT")
                .containsAll(UnreadVariables.variables(PgCopyDbCommand.newCommandLine(CONTEXT,
                        new String[] {"copy"})))
                .allMatch(v -> v.startsWith(EnvironmentDefaults.PREFIX));
    }

    private static Supplier<CommandLine> whole() {
        return () -> PgCopyDbCommand.newCommandLine(CONTEXT);
    }

    @Command(name = "narrow")
    static final class Narrow {
        @Option(names = "--table-job")
        int tableJob;
    }
}
