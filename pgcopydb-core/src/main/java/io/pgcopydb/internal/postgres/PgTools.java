package io.pgcopydb.internal.postgres;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the PostgreSQL client tools ({@code pg_dump}, {@code pg_restore}, {@code pg_dumpall}). A bin directory
 * given to {@code clientTools(dir)} is the only candidate; otherwise, when {@code PG_CONFIG} is set, as with
 * pgcopydb, only the bin directory it names is used: a user who points at one installation must not silently get
 * another. Otherwise {@code PATH} and {@code /usr/lib/postgresql/<major>/bin} are searched, and the newest
 * {@code pg_dump} that is at least the source server's major version wins (pg_dump refuses an older one's source,
 * and the newest knows the most about the target). {@link #reason()} says which rule picked it.
 */
public final class PgTools {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");
    private static final Path PACKAGED = Path.of("/usr/lib/postgresql");
    /**
     * The versions binaries printed ({@link #binaryFile} → {@code 15.18}): a process each, ~5 ms and 7 ms of CPU,
     * asked once per JVM instead of at every copy — a test suite that clones a fixture before each test asked at
     * each clone. Only answers are kept; a binary that failed to answer is asked again.
     */
    private static final Map<String, String> VERSIONS = new ConcurrentHashMap<>();

    private final Candidate picked;
    private final String reason;

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

    /** A directory holding {@code pg_dump} and {@code pg_restore}, and their version ({@code 15.18}). */
    record Candidate(Path dir, int major, String version) {
        @Override
        public String toString() {
            return dir + " " + version;
        }
    }

    private PgTools(Candidate picked, String reason) {
        this.picked = picked;
        this.reason = reason;
    }

    /** The path of the tool {@code name} ({@code pg_dump}, {@code pg_restore}, {@code pg_dumpall}). */
    public Path tool(String name) {
        return picked.dir().resolve(name);
    }

    /** The tools' major version ({@code 15}). */
    public int majorVersion() {
        return picked.major();
    }

    /** The tools' version as {@code pg_dump --version} prints it, major and minor ({@code 15.18}). */
    public String version() {
        return picked.version();
    }

    /** The directory holding the tools. */
    public Path binDirectory() {
        return picked.dir();
    }

    /** Why these tools: {@code the newest ≥ source 12 (candidates: …)}, the {@code PG_CONFIG} or the given dir. */
    public String reason() {
        return reason;
    }

    /** The INFO line naming the tools and why they were picked. */
    public String describe() {
        return "using pg_dump " + version() + " from " + binDirectory() + ": " + reason;
    }

    /**
     * The tools for a source server of major version {@code sourceMajor}.
     *
     * @param given the directory given to {@code clientTools(dir)}: when present, the only candidate
     * @param env the environment to read {@code PG_CONFIG} and {@code PATH} from
     * @throws Unavailable with a one-line reason and remedy, and its typed problem, when none fits
     */
    public static PgTools locate(int sourceMajor, Optional<Path> given, Map<String, String> env) {
        return locate(sourceMajor, given, env, PACKAGED);
    }

    /** As {@link #locate(int, Optional, Map)}, with the root of the packaged installations. */
    public static PgTools locate(int sourceMajor, Optional<Path> given, Map<String, String> env, Path packaged) {
        String pgConfig = env.get("PG_CONFIG");
        boolean pgConfigSet = pgConfig != null && !pgConfig.isBlank();
        if (given.isPresent()) {
            return fromGiven(sourceMajor, given.get(), pgConfigSet ? ", which wins over PG_CONFIG=" + pgConfig : "");
        }
        if (pgConfigSet) {
            return fromPgConfig(sourceMajor, pgConfig);
        }
        List<Candidate> candidates = new ArrayList<>();
        Set<Path> real = new LinkedHashSet<>();
        List<Path> wrappers = new ArrayList<>();
        for (Path dir : searched(env, packaged)) {
            // /bin and /usr/bin are often one directory: list it once.
            if (real.add(realPath(dir))) {
                if (isWrapper(dir)) {
                    wrappers.add(dir);
                } else {
                    candidate(dir).ifPresent(candidates::add);
                }
            }
        }
        // Debian's /usr/bin/pg_dump is pg_wrapper, a Perl script that runs one of the packaged binaries, which are
        // candidates already; it costs ~150 ms a call. Asked only when no real binary is new enough.
        if (candidates.stream().noneMatch(c -> c.major() >= sourceMajor)) {
            wrappers.forEach(dir -> candidate(dir).ifPresent(candidates::add));
        }
        if (candidates.isEmpty()) {
            throw new Unavailable(Problem.of(ErrorCode.CLIENT_TOOLS_MISSING, "pg_dump and pg_restore not found "
                    + "(looked in PATH and " + packaged + "/*/bin)", "install the PostgreSQL " + sourceMajor
                    + " client tools or newer (Debian: apt-get install postgresql-client-" + sourceMajor + "), and "
                    + "set PG_CONFIG or clientTools(dir) if they are elsewhere"));
        }
        String seen = candidates.stream().map(Candidate::toString).collect(Collectors.joining(", "));
        // The first of the newest major wins: PATH comes before the packaged directories, as a shell would have it.
        Candidate newest = candidates.stream().max(Comparator.comparingInt(Candidate::major)
                .thenComparing(Comparator.comparingInt(candidates::indexOf).reversed())).orElseThrow();
        if (newest.major() < sourceMajor) {
            throw new Unavailable(tooOld(newest, sourceMajor, " (found: " + seen + ")", "install PostgreSQL "
                    + sourceMajor + "'s client tools and set PG_CONFIG or clientTools(dir)"));
        }
        return new PgTools(newest, "the newest ≥ source " + sourceMajor + " (candidates: " + seen + ")");
    }

    private static Problem tooOld(Candidate c, int sourceMajor, String where, String remedy) {
        return Problem.of(ErrorCode.CLIENT_TOOLS_TOO_OLD, "pg_dump " + c.major() + " cannot dump a PostgreSQL "
                + sourceMajor + " server" + where, remedy).withObject(c.dir().toString());
    }

    private static PgTools fromGiven(int sourceMajor, Path dir, String overridden) {
        String origin = "given by clientTools(" + dir + ")";
        String remedy = "give clientTools(dir) the bin directory of PostgreSQL " + sourceMajor
                + "'s client tools or newer";
        Candidate c = candidate(dir).orElseThrow(() -> new Unavailable(Problem.of(ErrorCode.CLIENT_TOOLS_MISSING,
                "pg_dump and pg_restore not found in " + dir + " (" + origin + ")", remedy)
                .withObject(dir.toString())));
        if (c.major() < sourceMajor) {
            throw new Unavailable(tooOld(c, sourceMajor, " (" + dir + ", " + origin + ")", remedy));
        }
        return new PgTools(c, origin + overridden);
    }

    private static PgTools fromPgConfig(int sourceMajor, String pgConfig) {
        String origin = "PG_CONFIG=" + pgConfig;
        String otherwise = "set PG_CONFIG to the pg_config of PostgreSQL " + sourceMajor
                + " or newer, or unset it to search PATH and " + PACKAGED + "/*/bin";
        Path dir = run(List.of(pgConfig, "--bindir")).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of)
                .orElseThrow(() -> new Unavailable(Problem.of(ErrorCode.CLIENT_TOOLS_MISSING, origin
                        + " could not be run (pg_config --bindir failed)", otherwise).withObject(pgConfig)));
        Candidate c = candidate(dir).orElseThrow(() -> new Unavailable(Problem.of(ErrorCode.CLIENT_TOOLS_MISSING,
                "pg_dump and pg_restore not found in " + dir + " (the bindir of " + origin + ")", "install the "
                + "PostgreSQL client tools there, or " + otherwise).withObject(dir.toString())));
        if (c.major() < sourceMajor) {
            throw new Unavailable(tooOld(c, sourceMajor, " (" + dir + ", the bindir of " + origin + ")",
                    otherwise));
        }
        return new PgTools(c, "the bindir of " + origin);
    }

    /** Whether {@code dir/pg_dump} is a link to a program of another name (Debian's {@code pg_wrapper}). */
    static boolean isWrapper(Path dir) {
        try {
            return !dir.resolve("pg_dump").toRealPath().getFileName().toString().equals("pg_dump");
        } catch (IOException e) {
            return false;
        }
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    /** {@code dir} when it holds an executable {@code pg_dump} that tells its version, and a {@code pg_restore}. */
    static Optional<Candidate> candidate(Path dir) {
        if (!Files.isExecutable(dir.resolve("pg_restore"))) {
            return Optional.empty();
        }
        return version(dir.resolve("pg_dump")).map(v -> new Candidate(dir, Integer.parseInt(v.split("\\.")[0]), v));
    }

    /** The directories searched when neither {@code clientTools(dir)} nor {@code PG_CONFIG} is set, in order. */
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

    private static Optional<String> version(Path pgDump) {
        if (!Files.isExecutable(pgDump)) {
            return Optional.empty();
        }
        Optional<String> file = binaryFile(pgDump);
        String known = file.map(VERSIONS::get).orElse(null);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> version = run(List.of(pgDump.toString(), "--version")).flatMap(PgTools::parseVersion);
        if (file.isPresent() && version.isPresent()) {
            VERSIONS.put(file.get(), version.get());
        }
        return version;
    }

    /**
     * The file {@code pgDump} runs, as a key of {@link #VERSIONS}: its real path, size and modification time, so
     * that a binary replaced (an upgrade) is asked again. Empty for a program of another name behind the link
     * (Debian's {@code pg_wrapper}), whose answer depends on the environment and configuration, not on its file.
     */
    static Optional<String> binaryFile(Path pgDump) {
        try {
            Path real = pgDump.toRealPath();
            if (!real.getFileName().toString().equals("pg_dump")) {
                return Optional.empty();
            }
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            return Optional.of(real + "|" + attributes.size() + "|" + attributes.lastModifiedTime().to(
                    TimeUnit.NANOSECONDS) + "|" + attributes.fileKey());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code 15.18} from {@code pg_dump (PostgreSQL) 15.18 (Debian 15.18-1)}; {@code 9.6} from {@code 9.6.0}. */
    static Optional<String> parseVersion(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(m.group(2) == null ? m.group(1) : m.group(1) + "." + m.group(2));
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
