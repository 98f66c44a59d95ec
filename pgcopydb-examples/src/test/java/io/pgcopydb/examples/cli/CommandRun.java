package io.pgcopydb.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * One in-process run of the command line, with standard output and error captured.
 *
 * @param exitCode what {@code main} would have exited with
 * @param out what went to standard output
 * @param err what went to standard error
 */
public record CommandRun(int exitCode, String out, String err) {

    /** Runs {@code args} with {@code env} as the environment. */
    public static CommandRun execute(Map<String, String> env, String... args) {
        CommandLine cli = PgCopyDbCommand.newCommandLine(new CliContext(env));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CommandRun(code, out.toString(), err.toString());
    }

    /** Runs {@code args} with an empty environment. */
    public static CommandRun execute(String... args) {
        return execute(Map.of(), args);
    }

    /** Standard error's lines. */
    public java.util.List<String> errLines() {
        return err.lines().toList();
    }

    /** The database's URI, or a JDBC URL carrying the password when the server needs one (Docker, external). */
    public static String connectionString(io.pgcopydb.testkit.TestDatabase db) {
        return db.server().password()
                .map(pw -> db.jdbcUrl() + "?user=" + encode(db.server().user()) + "&password=" + encode(pw))
                .orElse(db.uri());
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
