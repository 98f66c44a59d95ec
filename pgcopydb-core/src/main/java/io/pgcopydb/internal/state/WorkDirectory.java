package io.pgcopydb.internal.state;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.InterruptedCopy;
import io.pgcopydb.Problem;
import io.pgcopydb.connection.ConnectionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Where a run keeps its dump archive, TOC lists, tool logs and {@link Journal}. The default is one directory per
 * source/target pair under the system temp directory, so an interrupted copy is found again by {@code resume()}
 * without naming it; it is removed after a successful run. A directory the caller gave is kept.
 *
 * <p>A run holds an exclusive lock on {@code lock} in the directory while it lives, so two runs never share one.
 * A directory whose journal has entries is refused unless the run resumes it or restarts.
 */
public final class WorkDirectory implements AutoCloseable {
    private final Path path;
    private final boolean temporary;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private WorkDirectory(Path path, boolean temporary, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.temporary = temporary;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** A claimed directory, or the problem that keeps it from being used. */
    public record Claim(Optional<WorkDirectory> directory, Optional<Problem> problem) {
    }

    /** The pair's default directory: {@code $TMPDIR/pgcopydb-work-<pairKey>}. */
    public static Path defaultPath(ConnectionSpec source, ConnectionSpec target) {
        return Path.of(System.getProperty("java.io.tmpdir")).resolve("pgcopydb-work-" + pairKey(source, target));
    }

    /**
     * The interrupted copy {@code dir} holds, read without locking or changing anything: present when its journal
     * has units and no end.
     */
    public static Optional<InterruptedCopy> interrupted(Path dir) {
        List<JournalEntry> entries = Journal.entries(dir);
        if (entries.isEmpty() || entries.stream().anyMatch(JournalEntry.CopyFinished.class::isInstance)) {
            return Optional.empty();
        }
        Optional<Instant> started = entries.stream().filter(JournalEntry.RunStarted.class::isInstance)
                .map(e -> ((JournalEntry.RunStarted) e).startedAt()).findFirst();
        return Optional.of(new InterruptedCopy(dir, Journal.unitsFinished(entries), started));
    }

    /**
     * Creates and locks the directory and checks it against resume/restart; never throws for a problem the user
     * can fix, returning it instead so preflight reports it with the others.
     */
    public static Claim claim(CopyOptions options) {
        Path dir = options.workDirectory();
        boolean temporary = options.defaultWorkDirectory();
        boolean created = !Files.isDirectory(dir);
        try {
            createPrivate(dir);
        } catch (IOException e) {
            return problem(ErrorCode.WORK_DIRECTORY_UNUSABLE, dir, "cannot create the work directory " + dir + ": "
                    + e.getMessage(), "give a writable directory with workDirectory(path)");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(dir.resolve("lock")), StandardCharsets.UTF_8).strip();
                channel.close();
                return problem(ErrorCode.WORK_DIRECTORY_IN_USE, dir, "the work directory " + dir + " is in use by "
                        + "another live run" + (holder.isEmpty() ? "" : " (" + holder + ")"), "wait for it to end, or "
                        + "give another directory with workDirectory(path)");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("process " + ProcessHandle.current().pid()).getBytes(
                    StandardCharsets.UTF_8)), 0);
            WorkDirectory wd = new WorkDirectory(dir, temporary, channel, lock);
            Optional<Problem> problem = wd.checkState(options);
            if (problem.isPresent()) {
                if (created) {
                    wd.discard();
                } else {
                    wd.keep();
                }
                return new Claim(Optional.empty(), problem);
            }
            return new Claim(Optional.of(wd), Optional.empty());
        } catch (IOException e) {
            closeQuietly(channel);
            return problem(ErrorCode.WORK_DIRECTORY_UNUSABLE, dir, "cannot lock the work directory " + dir + ": "
                    + e.getMessage(), "give a writable directory with workDirectory(path)");
        }
    }

    private Optional<Problem> checkState(CopyOptions options) {
        List<JournalEntry> entries = Journal.entries(path);
        boolean used = !entries.isEmpty();
        boolean finished = entries.stream().anyMatch(JournalEntry.CopyFinished.class::isInstance);
        if (options.resume() && !used) {
            return state(ErrorCode.NOTHING_TO_RESUME, "holds no interrupted copy to resume", "run without resume() "
                    + "(or give the directory of the interrupted run with workDirectory(path))");
        }
        if (options.resume() && finished) {
            return state(ErrorCode.FINISHED_COPY_FOUND, "holds a copy that already finished: nothing to resume",
                    "use restart() to copy again");
        }
        String pair = pairKey(options.source(), options.target());
        Optional<String> other = entries.stream().filter(JournalEntry.RunStarted.class::isInstance)
                .map(e -> ((JournalEntry.RunStarted) e).pair()).filter(p -> !p.equals(pair)).findFirst();
        // Steps run alone share the directory: each continues the journal the earlier ones wrote.
        boolean steps = options.steps().isPresent();
        if ((options.resume() || steps) && other.isPresent()) {
            // Its units are OIDs of other databases: skipping them here would silently lose data.
            return state(ErrorCode.OTHER_PAIRS_WORK_DIRECTORY, "holds a copy between other databases (" + other.get()
                    + ", not " + pair + ")", "give the directory of this copy, or start over with restart()");
        }
        if (used && !options.resume() && !options.restart() && !steps) {
            long units = Journal.unitsFinished(entries);
            return finished
                    ? state(ErrorCode.FINISHED_COPY_FOUND, "holds a finished copy", "start over with restart(), or "
                            + "give another directory")
                    : state(ErrorCode.INTERRUPTED_COPY_FOUND, "holds an interrupted copy (" + units + " units "
                            + "finished)", "continue it with resume(), or start over with restart()");
        }
        return Optional.empty();
    }

    /** A problem with what this directory holds. */
    private Optional<Problem> state(ErrorCode code, String holds, String remedy) {
        return Optional.of(Problem.of(code, "the work directory " + path + " " + holds, remedy)
                .withObject(path.toString()));
    }

    private static Claim problem(ErrorCode code, Path dir, String message, String remedy) {
        return new Claim(Optional.empty(), Optional.of(Problem.of(code, message, remedy).withObject(dir.toString())));
    }

    /** The directory. */
    public Path path() {
        return path;
    }

    /** Whether this is the pair's default directory (removed when nothing in it is worth keeping). */
    public boolean isTemporary() {
        return temporary;
    }

    /** Releases the lock and leaves the directory as it is. */
    public void keep() {
        close();
    }

    /** Releases the lock; the pair's default directory is removed, a directory the caller gave is kept. */
    public void discard() {
        close();
        if (temporary) {
            deleteRecursively(path);
        }
    }

    /** Releases the lock ({@link #keep()}). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // the channel closes it anyway
        }
        closeQuietly(lockChannel);
    }

    /**
     * {@code <source>-to-<target>-<hash>} (the directory is {@code pgcopydb-work-} followed by it): readable, and distinct for every pair of (host, port, database,
     * user); never holds a password.
     */
    public static String pairKey(ConnectionSpec source, ConnectionSpec target) {
        String readable = slug(source) + "-to-" + slug(target);
        String identity = source.host() + ":" + source.port() + "/" + source.database() + "@" + source.user()
                + "|" + target.host() + ":" + target.port() + "/" + target.database() + "@" + target.user();
        try {
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(
                    identity.getBytes(StandardCharsets.UTF_8));
            return (readable.length() > 80 ? readable.substring(0, 80) : readable) + "-"
                    + HexFormat.of().formatHex(sha, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String slug(ConnectionSpec spec) {
        return (spec.host() + "_" + spec.port() + "_" + spec.database()).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void createPrivate(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closed either way
            }
        }
    }

    static void deleteRecursively(Path path) {
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // leaving a temp directory behind is not worth failing a successful copy
        } catch (UncheckedIOException e) {
            // likewise
        }
    }
}
