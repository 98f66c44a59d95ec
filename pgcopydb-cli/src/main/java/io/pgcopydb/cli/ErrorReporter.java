package io.pgcopydb.cli;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Collectors;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns every failure into one line on standard error, {@code pgcopydb: <message>}, and an exit code
 * ({@link ExitCodes}). A stack trace follows only with {@code --debug}; passwords are masked in every line. With
 * {@code PGCOPYDB_LOG_JSON=true} the line is a JSON object like the log's, level {@code ERROR}, logger
 * {@code pgcopydb}. A failed {@code --verify} lists its differences on standard output unless that holds JSON
 * ({@code --json}: the differences are in the report's {@code verification}).
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
    /** What to do about a failure that is a bug. */
    private static final String REPORT_IT = "this is a bug; run the command again with --debug and report its output";

    private final CliContext context;

    ErrorReporter(CliContext context) {
        this.context = context;
    }

    /**
     * Usage errors found by picocli: unknown options, missing values, values of the wrong type. A mistyped option or
     * command is named with what it was probably meant to be ({@link Suggestions}).
     */
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String help = "see '" + command.getCommandSpec().qualifiedName() + " --help'";
        String message = e instanceof CommandLine.UnmatchedArgumentException u
                ? Suggestions.unmatched(command, u.getUnmatched()).orElse(e.getMessage()) : e.getMessage();
        print(command.getErr(), oneLine(message) + " (" + help + ")", e);
        return ExitCodes.USAGE;
    }

    /**
     * Failures thrown by a command while it runs. The library's own failures name its API in their remedies
     * ({@code noOwner()}); they are printed with this tool's flags instead ({@link FlagWording}). A failed
     * verification lists its differences (the first {@code 20}) on standard output first, one per line: they are
     * the command's result, not its error.
     */
    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        if (e instanceof PgCopyException failure && failure.code() == ErrorCode.VERIFY_FAILED
                && !context.jsonOutput()) {
            PrintWriter out = command.getOut();
            failure.problems().forEach(p -> out.println("difference: " + Secrets.mask(p.message())));
            out.flush();
        }
        String message = oneLine(e.getMessage() == null ? e.toString() : e.getMessage());
        if (isBug(e)) {
            // Its message names code, not the problem ("Cannot invoke … because … is null"): say what it is.
            message = "internal error (" + oneLine(e.toString()) + "): " + REPORT_IT;
        } else if (e instanceof PgCopyException failure && failure.code() == ErrorCode.INTERNAL
                && bugAmongCauses(e)) {
            // The library's "unexpected error: …" around such a failure: the same remedy.
            message = message + " (internal error: " + REPORT_IT + ")";
        }
        print(command.getErr(), e instanceof PgCopyException ? FlagWording.rewrite(message) : message, e);
        return ExitCodes.of(e);
    }

    private static boolean bugAmongCauses(Throwable e) {
        int depth = 0;
        for (Throwable c = e.getCause(); c != null && depth < 20; c = c.getCause(), depth++) {
            if (isBug(c)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code e} can only come from a mistake in this tool's code, not from its input or its servers. */
    static boolean isBug(Throwable e) {
        return e instanceof NullPointerException || e instanceof ClassCastException
                || e instanceof IndexOutOfBoundsException || e instanceof ArithmeticException
                || e instanceof ArrayStoreException || e instanceof NegativeArraySizeException
                || e instanceof java.util.ConcurrentModificationException;
    }

    private void print(PrintWriter err, String message, Throwable e) {
        if (Logging.current().json()) {
            // PGCOPYDB_LOG_JSON: standard error holds only JSON lines, this one too (the trace inside it).
            err.println(JsonLogProvider.line("ERROR", "pgcopydb", message, context.debug() ? e : null));
            err.flush();
            return;
        }
        err.println("pgcopydb: " + Secrets.mask(message));
        if (context.debug()) {
            // The trace repeats every cause's message: mask it like the line above.
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(Secrets.mask(trace.toString()));
        }
        err.flush();
    }

    /** Multi-line messages (a tool's output tail, several preflight problems) are folded into one line. */
    static String oneLine(String message) {
        return message.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining(" | "));
    }
}
