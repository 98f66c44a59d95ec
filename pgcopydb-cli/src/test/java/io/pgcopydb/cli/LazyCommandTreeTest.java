package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The tree built for one command line behaves as the whole tree for it. */
class LazyCommandTreeTest {
    private static final CliContext CONTEXT = new CliContext(Map.of());

    @Test
    void aNamedCommandGetsOnlyItsBranch() {
        CommandLine root = PgCopyDbCommand.newCommandLine(CONTEXT, new String[] {"--debug", "clone", "--help"});
        assertThat(root.getSubcommands()).containsOnlyKeys("clone", "fork");
        assertThat(PgCopyDbCommand.newCommandLine(CONTEXT, new String[] {"fork"}).getSubcommands())
                .containsOnlyKeys("clone", "fork");
        for (String[] whole : List.of(new String[0], new String[] {"--help"}, new String[] {"help", "clone"},
                new String[] {"clnoe"})) {
            assertThat(PgCopyDbCommand.newCommandLine(CONTEXT, whole).getSubcommands())
                    .as("the whole tree for %s", List.of(whole)).containsKeys("clone", "copy", "list", "help");
        }
    }

    @Test
    void theToolsVersionAloneBuildsNoCommandAndPrintsWhatTheWholeTreePrints() {
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"-V"},
                new String[] {"--debug", "--version"})) {
            CommandLine root = PgCopyDbCommand.newCommandLine(CONTEXT, args);
            assertThat(root.getSubcommands()).as("%s", List.of(args)).isEmpty();
            assertThat(help(root, args)).as("%s", List.of(args))
                    .isEqualTo(help(PgCopyDbCommand.newCommandLine(CONTEXT), args)).startsWith("pgcopydb ");
        }
        assertThat(PgCopyDbCommand.newCommandLine(CONTEXT, new String[] {"--version", "--help"}).getSubcommands())
                .as("the help asked beside it lists every command").containsKeys("clone", "copy", "help");
    }

    @Test
    void everyCommandsHelpIsTheSameFromItsBranchAsFromTheWholeTree() {
        CommandLine whole = PgCopyDbCommand.newCommandLine(CONTEXT);
        for (String name : whole.getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            CommandLine full = whole.getSubcommands().get(name);
            for (String sub : full.getSubcommands().isEmpty() ? List.of("") : full.getSubcommands().keySet()) {
                String[] args = sub.isEmpty() ? new String[] {name, "--help"} : new String[] {name, sub, "--help"};
                assertThat(help(PgCopyDbCommand.newCommandLine(CONTEXT, args), args))
                        .as("help of %s", List.of(args)).isEqualTo(help(PgCopyDbCommand.newCommandLine(CONTEXT), args))
                        .contains("Usage:");
            }
        }
    }

    private static String help(CommandLine root, String[] args) {
        StringWriter out = new StringWriter();
        root.setOut(new PrintWriter(out));
        root.setErr(new PrintWriter(out));
        root.execute(args);
        return out.toString();
    }
}
