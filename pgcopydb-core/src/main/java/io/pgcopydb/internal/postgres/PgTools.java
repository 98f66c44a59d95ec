package io.pgcopydb.internal.postgres;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.Problem;
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
 * Finds the PostgreSQL client tools ({@code pg_dump}, {@code pg_restore}, {@code pg_dumpall}). When
 * {@code PG_CONFIG} is set, as with pgcopydb, only the bin directory it names is used: a user who points at one
 * installation must not silently get another. Otherwise {@code PATH}, then {@code /usr/lib/postgresql/<major>/bin}
 * newest first, are searched; the first directory whose {@code pg_dump} is at least the source server's major
 * version wins.
 */
public final class PgTools {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");
    private static final Path PACKAGED = Path.of("/usr/lib/postgresql");

    private final Path binDirectory;
    private final int majorVersion;

    /** No client tools fit: the message is the problem's one line. */
    public static final class Unavailable extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final transient Problem problem;

        Unavailable(Problem problem) {
            super(problem.toString());
            this.problem = problem;
        }

        /** What is missing or too old, and the remedy. */
        public Problem problem() {
            return problem;
        }
    }

    private PgTools(Path binDirectory, int majorVersion) {
        this.binDirectory = binDirectory;
        this.majorVersion = majorVersion;
    }

    public Path tool(String name) {
        return binDirectory.resolve(name);
    }

    int majorVersion() {
        return majorVersion;
    }

    public Path binDirectory() {
        return binDirectory;
    }

    /**
     * The tools for a source server of major version {@code sourceMajor}.
     *
     * @param env the environment to read {@code PG_CONFIG} and {@code PATH} from
     * @throws Unavailable with a one-line reason and remedy, and its typed problem, when none fits
     */
    public static PgTools locate(int sourceMajor, Map<String, String> env) {
        return locate(sourceMajor, env, PACKAGED);
    }

    /** As {@link #locate(int, Map)}, with the root of the packaged installations ({@code /usr/lib/postgresql}). */
    public static PgTools locate(int sourceMajor, Map<String, String> env, Path packaged) {
        String pgConfig = env.get("PG_CONFIG");
        if (pgConfig != null && !pgConfig.isBlank()) {
            return fromPgConfig(sourceMajor, pgConfig);
        }
        List<String> seen = new ArrayList<>();
        List<Path> seenDirs = new ArrayList<>();
        for (Path dir : searched(env, packaged)) {
            Optional<Integer> major = majorVersion(dir.resolve("pg_dump"));
            if (major.isEmpty() || !Files.isExecutable(dir.resolve("pg_restore"))) {
                continue;
            }
            seen.add(dir + " (" + major.get() + ")");
            seenDirs.add(dir);
            if (major.get() >= sourceMajor) {
                return new PgTools(dir, major.get());
            }
        }
        if (seen.isEmpty()) {
            throw new Unavailable(Problem.of(ErrorCode.CLIENT_TOOLS_MISSING, "pg_dump and pg_restore not found "
                    + "(looked in PATH and " + packaged + "/*/bin)", "install the PostgreSQL " + sourceMajor
                    + " client tools or newer (Debian: apt-get install postgresql-client-" + sourceMajor + "), or "
                    + "set PG_CONFIG to their pg_config"));
        }
        throw new Unavailable(Problem.of(ErrorCode.CLIENT_TOOLS_TOO_OLD, "pg_dump is older than the source server "
                + "(PostgreSQL " + sourceMajor + "): found " + String.join(", ", seen), "install the PostgreSQL "
                + sourceMajor + " client tools or newer, or set PG_CONFIG to their pg_config")
                .withObject(seenDirs.get(0).toString()));
    }

    private static PgTools fromPgConfig(int sourceMajor, String pgConfig) {
        String origin = "PG_CONFIG=" + pgConfig;
        String otherwise = "set PG_CONFIG to the pg_config of PostgreSQL " + sourceMajor
                + " or newer, or unset it to search PATH and " + PACKAGED + "/*/bin";
        Path dir = run(List.of(pgConfig, "--bindir")).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of)
                .orElseThrow(() -> new Unavailable(Problem.of(ErrorCode.CLIENT_TOOLS_MISSING, origin
                        + " could not be run (pg_config --bindir failed)", otherwise).withObject(pgConfig)));
        Optional<Integer> major = majorVersion(dir.resolve("pg_dump"));
        if (major.isEmpty() || !Files.isExecutable(dir.resolve("pg_restore"))) {
            throw new Unavailable(Problem.of(ErrorCode.CLIENT_TOOLS_MISSING, "pg_dump and pg_restore not found in "
                    + dir + " (the bindir of " + origin + ")", "install the PostgreSQL client tools there, or "
                    + otherwise).withObject(dir.toString()));
        }
        if (major.get() < sourceMajor) {
            throw new Unavailable(Problem.of(ErrorCode.CLIENT_TOOLS_TOO_OLD, "pg_dump " + major.get() + " in " + dir
                    + " (the bindir of " + origin + ") is older than the source server (PostgreSQL " + sourceMajor
                    + ")", otherwise).withObject(dir.toString()));
        }
        return new PgTools(dir, major.get());
    }

    /** The directories searched when {@code PG_CONFIG} is not set, in order. */
    static List<Path> searched(Map<String, String> env, Path packaged) {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String dir : env.getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pg_dump"))) {
                dirs.add(Path.of(dir));
            }
        }
        if (Files.isDirectory(packaged)) {
            try (Stream<Path> majors = Files.list(packaged)) {
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
