package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.junit.DatabasePair;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    /**
     * Runs {@code args} through {@code main} in a child JVM on this test's class path, whose environment is this
     * process's plus {@code env}: for what only the real environment reaches (the client tools' {@code PG_CONFIG}).
     * The log is silenced, so standard error holds only what the command itself reports.
     */
    public static CommandRun inChildJvm(Map<String, String> env, String... args) {
        return inChildJvm(null, env, args);
    }

    /** As {@link #inChildJvm(Map, String...)}, in the current directory {@code directory}: for relative paths. */
    public static CommandRun inChildJvm(Path directory, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=off", "-cp",
                System.getProperty("java.class.path"), PgCopyDbCommand.class.getName()));
        command.addAll(List.of(args));
        return run(command, env, directory, args);
    }

    /**
     * As {@link #inChildJvm}, with the log left as the command configures it (its level flags, {@code
     * PGCOPYDB_LOG_LEVEL}, {@code PGCOPYDB_LOG_JSON} in {@code env}): for what the log itself shows.
     */
    public static CommandRun logged(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), PgCopyDbCommand.class.getName()));
        command.addAll(List.of(args));
        return run(command, env, null, args);
    }

    /**
     * Runs {@code java -jar pgcopydb.jar args} (the build's executable jar, system property {@code pgcopydb.jar},
     * set by failsafe), with this process's environment: for what only works from the jar ({@code bench}). The
     * log stays on, on standard error.
     */
    public static CommandRun inJar(String... args) {
        String jar = System.getProperty("pgcopydb.jar");
        assertThat(jar).as("system property pgcopydb.jar (set by failsafe)").isNotNull();
        assertThat(Path.of(jar)).as("the executable jar, built in the package phase").isRegularFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar));
        command.addAll(List.of(args));
        return run(command, Map.of(), null, args);
    }

    /**
     * Runs the launcher {@code target/pgcopydb} (the script followed by the jar, beside {@code pgcopydb.jar}) with
     * this process's environment plus {@code env}, as a user runs it.
     */
    public static CommandRun launcher(Map<String, String> env, String... args) {
        Path launcher = Path.of(System.getProperty("pgcopydb.jar")).resolveSibling("pgcopydb");
        assertThat(launcher).as("the launcher, built in the package phase").isExecutable();
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        return run(command, env, null, args);
    }

    private static CommandRun run(List<String> command, Map<String, String> env, Path directory, String... args) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        try {
            Process child = builder.start();
            child.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(child.getErrorStream()));
            String out = readAll(child.getInputStream());
            if (!child.waitFor(3, TimeUnit.MINUTES)) {
                // SIGTERM first: a child JVM's shutdown hooks stop the servers it started.
                child.destroy();
                if (!child.waitFor(30, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
                throw new AssertionError("pgcopydb " + String.join(" ", args) + " did not finish in 3 minutes");
            }
            return new CommandRun(child.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Standard error's lines. */
    public List<String> errLines() {
        return err.lines().toList();
    }

    /** The database's URI, or a JDBC URL carrying the password when the server needs one (Docker, external). */
    public static String connectionString(io.pgcopydb.testkit.server.TestDatabase db) {
        return db.server().password()
                .map(pw -> db.jdbcUrl() + "?user=" + encode(db.server().user()) + "&password=" + encode(pw))
                .orElse(db.uri());
    }

    /**
     * Asserts with the library's comparison that the pair's target is an exact copy of its source.
     *
     * @param pair the databases
     */
    public static void assertIdentical(DatabasePair pair) {
        CompareReport result = DatabaseCompare.of(ConnectionSpec.parse(connectionString(pair.source())),
                ConnectionSpec.parse(connectionString(pair.target()))).all();
        assertThat(result.isIdentical()).as(result.toText()).isTrue();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
