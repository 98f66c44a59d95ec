package io.pgcopydb.testkit.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A directory of PostgreSQL server binaries ({@code initdb}, {@code pg_ctl}, {@code postgres}, {@code psql}).
 *
 * <p>{@link #locate(Map)} looks in this order: the {@code bindir} of the {@code pg_config} named by
 * {@code PG_CONFIG}; the newest {@code /usr/lib/postgresql/<major>/bin}; the directory of {@code initdb} on
 * {@code PATH}. {@link #of(Path)} takes an explicit directory, e.g. one of the
 * {@code io.zonky.test.postgres} binary bundles; {@link #forMajor(int)} finds one of those bundles by major
 * version.
 */
public final class PostgresBinaries {
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private final Path binDirectory;

    private PostgresBinaries(Path binDirectory) {
        this.binDirectory = binDirectory;
    }

    /**
     * Uses an explicit directory.
     *
     * @throws TestkitException when the directory lacks {@code initdb} or {@code pg_ctl}
     */
    public static PostgresBinaries of(Path binDirectory) {
        for (String tool : List.of("initdb", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(binDirectory.resolve(tool))) {
                throw new TestkitException("no executable " + tool + " in " + binDirectory
                        + ": point the testkit at a PostgreSQL bin directory");
            }
        }
        return new PostgresBinaries(binDirectory.toAbsolutePath());
    }

    /**
     * Binaries of PostgreSQL {@code major}: the ones {@link #locate()} finds when they are of that version (on
     * Debian, the installed server), else zonky's bundle of that major from the build's copy or the local Maven
     * repository, unpacked once into a cache directory (see {@code BinaryBundles}).
     *
     * @throws TestkitException when neither has that version, naming where it looked and what to resolve
     */
    public static PostgresBinaries forMajor(int major) {
        Optional<PostgresBinaries> installed = find(System.getenv(), PostgresBinaries::pgConfigBindir)
                .filter(b -> b.majorVersion() == major);
        return installed.orElseGet(() -> of(BinaryBundles.binDirectory(major)));
    }

    /** Locates binaries from the process environment; see the class comment for the search order. */
    public static PostgresBinaries locate() {
        return locate(System.getenv());
    }

    /**
     * Locates binaries using {@code env} for {@code PG_CONFIG} and {@code PATH}.
     *
     * @throws TestkitException naming every place looked at, and how to install PostgreSQL, when none has them
     */
    public static PostgresBinaries locate(Map<String, String> env) {
        return find(env, PostgresBinaries::pgConfigBindir).orElseThrow(() -> new TestkitException(
                "no PostgreSQL server binaries found (looked at PG_CONFIG, /usr/lib/postgresql/*/bin and PATH): "
                        + "install them (Debian: apt-get install postgresql) or set PG_CONFIG"));
    }

    /**
     * Looks in the order of {@link #locate(Map)}, asking {@code pgConfigBindir} for the bin directory of the
     * {@code pg_config} named by {@code PG_CONFIG}; empty when no place has server binaries.
     */
    public static Optional<PostgresBinaries> find(Map<String, String> env, Function<String, Optional<Path>> pgConfigBindir) {
        Optional<Path> fromPgConfig = Optional.ofNullable(env.get("PG_CONFIG")).filter(s -> !s.isBlank())
                .flatMap(pgConfigBindir);
        return Stream.of(fromPgConfig, newestDebian(), onPath(env))
                .flatMap(Optional::stream)
                .filter(PostgresBinaries::looksLikeServerBin)
                .findFirst()
                .map(PostgresBinaries::new);
    }

    /** The bin directory. */
    public Path directory() {
        return binDirectory;
    }

    /** Path of one tool in this directory, e.g. {@code tool("psql")}. */
    public Path tool(String name) {
        return binDirectory.resolve(name);
    }

    /** The {@code postgres --version} major version, e.g. 15. */
    public int majorVersion() {
        String out = Commands.runOrThrow(List.of(tool("postgres").toString(), "--version"), Map.of(), "postgres --version")
                .output().strip();
        String version = out.substring(out.lastIndexOf(' ') + 1);
        return Integer.parseInt(version.split("[.a-z]")[0]);
    }

    @Override
    public String toString() {
        return binDirectory.toString();
    }

    private static boolean looksLikeServerBin(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))
                && Files.isExecutable(dir.resolve("postgres"));
    }

    private static Optional<Path> pgConfigBindir(String pgConfig) {
        Commands.Result r = Commands.run(List.of(pgConfig, "--bindir"), Map.of());
        return r.ok() ? Optional.of(Path.of(r.output().strip())) : Optional.empty();
    }

    private static Optional<Path> newestDebian() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> majors = Files.list(DEBIAN_ROOT)) {
            return majors.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
                    .map(p -> p.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> onPath(Map<String, String> env) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            Path initdb = Path.of(dir.isEmpty() ? "." : dir, "initdb");
            if (Files.isExecutable(initdb)) {
                try {
                    // Debian links /usr/local/bin/initdb into the real bin directory, where pg_ctl lives too.
                    return Optional.of(initdb.toRealPath().getParent());
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
