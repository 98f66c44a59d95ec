package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** How a failure that ended a command is reported: one line, and the exit code. */
class ErrorReporterTest {

    @Test
    void aBugIsOneLineSayingSoAndHowToReportIt() {
        Run run = run(new CliContext(Map.of()), () -> {
            String missing = null;
            return missing.length();
        });

        assertThat(run.code).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err.lines()).singleElement().asString()
                .startsWith("pgcopydb: internal error (java.lang.NullPointerException")
                .endsWith("this is a bug; run the command again with --debug and report its output");
    }

    @Test
    void theLibrarysUnexpectedErrorAroundABugGetsTheSameRemedy() {
        Run run = run(new CliContext(Map.of()), () -> {
            throw io.pgcopydb.PgCopyException.builder(io.pgcopydb.ErrorCode.INTERNAL,
                    "unexpected error: Cannot invoke \"java.nio.file.Path.getFileSystem()\" because \"path\" is null")
                    .cause(new RuntimeException(new NullPointerException())).build();
        });

        assertThat(run.code).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err.lines()).singleElement().asString()
                .startsWith("pgcopydb: unexpected error: Cannot invoke")
                .endsWith("(internal error: this is a bug; run the command again with --debug and report its output)");

        Run notABug = run(new CliContext(Map.of()), () -> {
            throw io.pgcopydb.PgCopyException.builder(io.pgcopydb.ErrorCode.INTERNAL, "the source cannot be probed")
                    .cause(new java.io.IOException("closed")).build();
        });
        assertThat(notABug.err).as("no bug among its causes").doesNotContain("internal error");
    }

    @Test
    void aFailureWithAMessageOfItsOwnKeepsIt() {
        Run run = run(new CliContext(Map.of()), () -> {
            throw new IllegalStateException("bench interrupted");
        });

        assertThat(run.code).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err).isEqualTo("pgcopydb: bench interrupted" + System.lineSeparator());
    }

    @Test
    void withDebugTheBugsTraceFollowsTheLine() {
        CliContext context = new CliContext(Map.of());
        context.debug(true);
        Run run = run(context, () -> new int[] {1}[2]);

        assertThat(run.err.lines().findFirst()).hasValueSatisfying(l -> assertThat(l)
                .startsWith("pgcopydb: internal error (java.lang.ArrayIndexOutOfBoundsException"));
        assertThat(run.err).contains("at io.pgcopydb.cli.ErrorReporterTest");
    }

    private static Run run(CliContext context, Callable<Integer> body) {
        CommandLine cli = new CommandLine(new Failing(body));
        cli.setExecutionExceptionHandler(new ErrorReporter(context));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute();
        return new Run(code, err.toString());
    }

    private record Run(int code, String err) {
    }

    @Command(name = "failing")
    private static final class Failing implements Callable<Integer> {
        private final Callable<Integer> body;

        Failing(Callable<Integer> body) {
            this.body = body;
        }

        @Override
        public Integer call() throws Exception {
            return body.call();
        }
    }
}
