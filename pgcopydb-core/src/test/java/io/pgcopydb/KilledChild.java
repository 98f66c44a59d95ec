package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A class's {@code main} run in a child JVM on the test class path and killed with SIGKILL at a chosen moment:
 * how the resume tests stop a copy the way {@code kill -9} or a power cut would, with no chance to clean up.
 * (ResumeIT's approach, made reusable.) A child that must stop at an exact point blocks there — in a listener,
 * a stage or a client tool — so the kill finds it where the test says.
 */
final class KilledChild {
    private static final Duration LIMIT = Duration.ofSeconds(120);

    private KilledChild() {
    }

    /** Sleeps long enough for the parent to kill this (child) process; exits on its own after 10 minutes. */
    static void blockUntilKilled() {
        try {
            Thread.sleep(Duration.ofMinutes(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(3);
    }

    /**
     * Starts {@code main} with {@code args} and {@code env} added to this JVM's environment, and SIGKILLs it as
     * soon as {@code killWhen} holds for the lines it printed so far (checked every 20 ms, so it may look at the
     * databases or files too).
     *
     * @return the lines the child printed before it was killed
     */
    static List<String> runUntil(Class<?> main, List<String> args, Map<String, String> env,
            Predicate<List<String>> killWhen) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process child = builder.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> read(child, lines), "killed-child-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!killWhen.test(snapshot(lines))) {
                if (!child.isAlive()) {
                    reader.join(2000);
                    fail("the child ended (exit %s) before its kill point; it printed:%n%s", child.exitValue(),
                            String.join("\n", snapshot(lines)));
                }
                if (System.nanoTime() > deadline) {
                    fail("the child did not reach its kill point within %s; it printed:%n%s", LIMIT,
                            String.join("\n", snapshot(lines)));
                }
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        reader.join(2000);
        assertThat(child.exitValue()).as("killed by SIGKILL, not finished: %s", snapshot(lines)).isEqualTo(137);
        return snapshot(lines);
    }

    /** A kill condition: the child printed a line starting with {@code prefix}. */
    static Predicate<List<String>> printed(String prefix) {
        return lines -> lines.stream().anyMatch(l -> l.startsWith(prefix));
    }

    private static List<String> snapshot(List<String> lines) {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private static void read(Process child, List<String> lines) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            if (child.isAlive()) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
