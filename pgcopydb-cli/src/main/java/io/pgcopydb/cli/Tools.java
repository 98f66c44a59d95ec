package io.pgcopydb.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code bench} reports about the machine and its tools: programs on the PATH, versions, cores, memory. */
final class Tools {
    private Tools() {
    }

    /** The executable {@code name} in a directory of {@code PATH}, as a shell would find it. */
    static Optional<Path> onPath(CliContext context, String name) {
        for (String dir : context.variable("PATH").orElse("").split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The version {@code program --version} prints, the first group of {@code pattern} in its output; the whole
     * first line when the pattern does not match, {@code unknown} when it cannot run.
     */
    static String version(String program, String pattern) {
        try {
            Process p = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Matcher m = Pattern.compile(pattern).matcher(out);
            return m.find() ? m.group(1) : out.lines().findFirst().orElse("unknown").strip();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** {@code 2 cores (model), 23.4 GB memory, Linux 6.1 amd64}: what the machine is, as far as it can be read. */
    static String machine() {
        String model = read("/proc/cpuinfo", "(?m)^model name\\s*:\\s*(.+)$").map(m -> " (" + m.strip() + ")")
                .orElse("");
        String memory = read("/proc/meminfo", "(?m)^MemTotal:\\s+(\\d+) kB")
                .map(kb -> String.format(Locale.ROOT, ", %.1f GB memory", Long.parseLong(kb) / (double) (1 << 20)))
                .orElse("");
        return Runtime.getRuntime().availableProcessors() + " cores" + model + memory + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
    }

    private static Optional<String> read(String file, String pattern) {
        try {
            Matcher m = Pattern.compile(pattern).matcher(Files.readString(Path.of(file)));
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
