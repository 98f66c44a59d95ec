package io.pgcopydb.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the PostgreSQL client tools ({@code pg_dump}, {@code pg_restore}, {@code pg_dumpall}): the bin directory
 * of {@code PG_CONFIG}, then {@code PATH}, then {@code /usr/lib/postgresql/<major>/bin} newest first; the first
 * directory whose {@code pg_dump} is at least the source server's major version wins.
 */
final class PgTools {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");

    private final Path binDirectory;
    private final int majorVersion;

    private PgTools(Path binDirectory, int majorVersion) {
        this.binDirectory = binDirectory;
        this.majorVersion = majorVersion;
    }

    Path tool(String name) {
        return binDirectory.resolve(name);
    }

    int majorVersion() {
        return majorVersion;
    }

    Path binDirectory() {
        return binDirectory;
    }

    /**
     * The tools for a source server of major version {@code sourceMajor}.
     *
     * @throws IllegalStateException with a one-line reason and remedy when none fits
     */
    static PgTools locate(int sourceMajor, Map<String, String> env) {
        List<String> seen = new ArrayList<>();
        for (Path dir : candidates(env)) {
            Optional<Integer> major = majorVersion(dir.resolve("pg_dump"));
            if (major.isEmpty() || !Files.isExecutable(dir.resolve("pg_restore"))) {
                continue;
            }
            seen.add(dir + " (" + major.get() + ")");
            if (major.get() >= sourceMajor) {
                return new PgTools(dir, major.get());
            }
        }
        if (seen.isEmpty()) {
            throw new IllegalStateException("pg_dump and pg_restore not found (looked at PG_CONFIG, PATH and "
                    + "/usr/lib/postgresql/*/bin): install the PostgreSQL client tools, version " + sourceMajor
                    + " or newer (Debian: apt-get install postgresql-client), or set PG_CONFIG");
        }
        throw new IllegalStateException("pg_dump is older than the source server (PostgreSQL " + sourceMajor
                + "); found " + String.join(", ", seen) + ": install client tools " + sourceMajor
                + " or newer, or point PG_CONFIG at them");
    }

    static List<Path> candidates(Map<String, String> env) {
        Set<Path> dirs = new LinkedHashSet<>();
        String pgConfig = env.get("PG_CONFIG");
        if (pgConfig != null && !pgConfig.isBlank()) {
            run(List.of(pgConfig, "--bindir")).map(String::strip).map(Path::of).ifPresent(dirs::add);
        }
        for (String dir : env.getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pg_dump"))) {
                dirs.add(Path.of(dir));
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> majors = Files.list(debian)) {
                majors.filter(p -> p.getFileName().toString().matches("\\d+"))
                        .sorted(Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString()))
                                .reversed())
                        .map(p -> p.resolve("bin"))
                        .forEach(dirs::add);
            } catch (IOException e) {
                // an unreadable directory just offers no candidates
            }
        }
        return List.copyOf(dirs);
    }

    static Optional<Integer> majorVersion(Path pgDump) {
        if (!Files.isExecutable(pgDump)) {
            return Optional.empty();
        }
        return run(List.of(pgDump.toString(), "--version")).flatMap(PgTools::parseMajor);
    }

    static Optional<Integer> parseMajor(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    private static Optional<String> run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
