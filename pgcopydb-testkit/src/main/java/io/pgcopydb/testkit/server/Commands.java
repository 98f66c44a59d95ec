package io.pgcopydb.testkit.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs external programs with a time limit and returns what they printed. */
public final class Commands {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private Commands() {
    }

    /** Result of a finished process: exit code and combined stdout + stderr. */
    public record Result(int exitCode, String output) {
        /** Whether the process exited with status 0. */
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code command} with {@code env} added to this process's environment, for at most five minutes. */
    public static Result run(List<String> command, Map<String, String> env) {
        return run(command, env, DEFAULT_TIMEOUT);
    }

    static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path out = null;
        try {
            // Output goes to a file, not a pipe: a server started by pg_ctl inherits the handle and would keep
            // a pipe open forever.
            out = Files.createTempFile("pgcopydb-cmd-", ".out");
            pb.redirectOutput(out.toFile());
            pb.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new TestkitException("timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TestkitException("could not run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestkitException("interrupted while running " + command.get(0), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a leftover temp file is not worth failing a test for
                }
            }
        }
    }

    /**
     * Like {@link #run(List, Map)}, and fails unless the exit code is 0.
     *
     * @throws TestkitException naming {@code what} and carrying the tail of the output when the command fails
     */
    public static Result runOrThrow(List<String> command, Map<String, String> env, String what) {
        Result r = run(command, env);
        if (!r.ok()) {
            throw new TestkitException(what + " failed (exit " + r.exitCode() + "): " + tail(r.output()));
        }
        return r;
    }

    /** The last lines of a tool's output: enough to see the error without flooding the message. */
    static String tail(String output) {
        String[] lines = output.strip().split("\n");
        int from = Math.max(0, lines.length - 15);
        List<String> kept = new ArrayList<>(List.of(lines).subList(from, lines.length));
        return String.join("\n", kept);
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static java.io.File nullDevice() {
        return new java.io.File("/dev/null");
    }
}
