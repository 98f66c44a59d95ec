package io.pgcopydb.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs one shell command as {@code bash -c} and measures it: the wall clock from start to exit, the CPU time
 * (user + sys) of all its processes, and the largest resident set any of them reached.
 *
 * <p>CPU time: after the command, the same shell runs its builtin {@code times}, whose second line is the
 * cumulative user and system time of the shell's children, which the kernel adds up over every descendant that
 * was waited for (a JVM's threads, {@code pg_dump}'s workers, both ends of a pipe). Peak RSS: {@code VmHWM} of
 * {@code /proc/PID/status} of every descendant, read every {@value #SAMPLE_MILLIS} ms while it runs (a process
 * that lives shorter than that may be missed; the high-water mark itself misses nothing between reads); absent
 * where {@code /proc} is not. Output (standard output and error together) goes to a log file, standard input is
 * empty. A command still running when the JVM shuts down (Ctrl-C) is killed with its descendants.
 */
final class TimedProcess {
    private static final long SAMPLE_MILLIS = 200;
    private static final Pattern TIMES = Pattern.compile("(\\d+)m(\\d+)[.,](\\d+)s\\s+(\\d+)m(\\d+)[.,](\\d+)s");
    private static final Pattern HWM = Pattern.compile("(?m)^VmHWM:\\s+(\\d+)\\s+kB");
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(TimedProcess::kill),
                "pgcopydb-bench-kill"));
    }

    /**
     * What a command did.
     *
     * @param wall from start to exit
     * @param cpuSeconds user + sys of all its processes, empty when {@code times} did not run (killed)
     * @param peakRssBytes the largest {@code VmHWM} seen, empty when none could be read
     * @param exitCode the shell's exit code ({@code -1} when it was killed for running too long)
     * @param outputTail the last lines of its output
     */
    record Result(Duration wall, OptionalDouble cpuSeconds, OptionalLong peakRssBytes, int exitCode,
            List<String> outputTail) {
        Result {
            outputTail = List.copyOf(outputTail);
        }

        boolean ok() {
            return exitCode == 0;
        }
    }

    private TimedProcess() {
    }

    /**
     * Runs {@code script} with exactly {@code environment}, writing its output to {@code log}.
     *
     * @param script the command, for {@code bash -c}
     * @param environment the child's whole environment
     * @param log the file the output goes to (replaced)
     * @param limit how long it may run before it is killed
     */
    static Result run(String script, Map<String, String> environment, Path log, Duration limit) {
        Path times = log.resolveSibling(log.getFileName() + ".times");
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                "set -o pipefail\n" + script + "\nrc=$?\ntimes > \"$PGCOPYDB_BENCH_TIMES\"\nexit $rc");
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("PGCOPYDB_BENCH_TIMES", times.toString());
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        AtomicLong peakKb = new AtomicLong(-1);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgcopydb-bench-rss");
            t.setDaemon(true);
            return t;
        });
        try {
            long start = System.nanoTime();
            Process process = builder.start();
            RUNNING.add(process);
            try {
                process.getOutputStream().close();
                sampler.scheduleAtFixedRate(() -> sample(process, peakKb), 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
                boolean exited = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
                Duration wall = Duration.ofNanos(System.nanoTime() - start);
                if (!exited) {
                    kill(process);
                    process.waitFor();
                }
                long kb = peakKb.get();
                return new Result(wall, exited ? cpuSeconds(times) : OptionalDouble.empty(),
                        kb < 0 ? OptionalLong.empty() : OptionalLong.of(kb * 1024), exited ? process.exitValue() : -1,
                        tail(log, exited ? 5 : 4, exited ? null : "killed after " + limit.toMinutes() + " min"));
            } finally {
                RUNNING.remove(process);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run bash: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a benchmarked command", e);
        } finally {
            sampler.shutdownNow();
        }
    }

    /** Parses the second line of bash's {@code times}: the children's user and system time. */
    static OptionalDouble cpuSeconds(Path times) {
        try {
            List<String> lines = Files.readAllLines(times, StandardCharsets.UTF_8);
            Matcher m = lines.size() < 2 ? null : TIMES.matcher(lines.get(1));
            if (m == null || !m.find()) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(seconds(m.group(1), m.group(2), m.group(3))
                    + seconds(m.group(4), m.group(5), m.group(6)));
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
    }

    private static double seconds(String minutes, String whole, String fraction) {
        return Long.parseLong(minutes) * 60 + Double.parseDouble(whole + "." + fraction);
    }

    private static void sample(Process process, AtomicLong peakKb) {
        process.descendants().forEach(p -> {
            try {
                Matcher m = HWM.matcher(Files.readString(Path.of("/proc", Long.toString(p.pid()), "status")));
                if (m.find()) {
                    peakKb.accumulateAndGet(Long.parseLong(m.group(1)), Math::max);
                }
            } catch (IOException | RuntimeException gone) {
                // exited between the listing and the read, or no /proc: nothing to add
            }
        });
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static List<String> tail(Path log, int lines, String note) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return note == null ? last : Stream.concat(last.stream(), Stream.of(note)).toList();
        } catch (IOException | UncheckedIOException e) {
            return note == null ? List.of() : List.of(note);
        }
    }
}
