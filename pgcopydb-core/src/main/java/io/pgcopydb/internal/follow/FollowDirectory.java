package io.pgcopydb.internal.follow;

import io.pgcopydb.connection.ConnectionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The follow's directory ({@code <workDirectory>/cdc}, or {@code $TMPDIR/pgcopydb-follow-<pair>}): the change log
 * ({@code changes/}), the sentinel ({@code sentinel}: the endpos another process set), the marker of a finished
 * copy ({@code copy-done}) and a lock ({@code lock}) held by the one follow running.
 *
 * <p>The sentinel is a file rather than a table on the target: {@code stream sentinel set endpos} then needs only
 * the directory (and the source, for {@code --current}), the target keeps no object of ours a comparison would
 * see, and the write is atomic (a temporary file fsynced, then renamed over the old one).
 */
public final class FollowDirectory implements AutoCloseable {
    private static final String SENTINEL = "sentinel";
    private static final String COPY_DONE = "copy-done";
    private static final String COPY_STARTED = "copy-started";

    private final Path path;
    private FileChannel lockChannel;
    private FileLock lock;

    private FollowDirectory(Path path) {
        this.path = path;
    }

    /** The follow's directory for a copy's work directory, or the pair's default when none was given. */
    public static Path pathFor(Optional<Path> workDirectory, ConnectionSpec source, ConnectionSpec target) {
        return workDirectory.map(d -> d.resolve("cdc")).orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("pgcopydb-follow-" + io.pgcopydb.internal.state.WorkDirectory.pairKey(source, target)));
    }

    /** A handle on {@code path} that does not lock it (the sentinel commands). */
    public static FollowDirectory at(Path path) {
        return new FollowDirectory(path);
    }

    /**
     * Creates and locks the directory.
     *
     * @return empty when another live follow holds it
     */
    public static Optional<FollowDirectory> lock(Path path) {
        FollowDirectory d = new FollowDirectory(path);
        try {
            Files.createDirectories(path);
            d.lockChannel = FileChannel.open(path.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                d.lock = d.lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                d.lock = null;
            }
            if (d.lock == null) {
                d.lockChannel.close();
                return Optional.empty();
            }
            d.lockChannel.truncate(0);
            d.lockChannel.write(ByteBuffer.wrap(("process " + ProcessHandle.current().pid()).getBytes(
                    StandardCharsets.UTF_8)), 0);
            return Optional.of(d);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the follow's directory " + path + ": " + e.getMessage(), e);
        }
    }

    /** The directory. */
    public Path path() {
        return path;
    }

    /** Where the change log's segments are. */
    public Path changes() {
        return path.resolve("changes");
    }

    /** Records, atomically, the endpos a running follow is to stop at. */
    public void setEndpos(long lsn) {
        try {
            Files.createDirectories(path);
            Path tmp = path.resolve(SENTINEL + ".tmp");
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                c.write(ByteBuffer.wrap(("endpos " + Lsn.format(lsn) + "\n").getBytes(StandardCharsets.UTF_8)));
                c.force(true);
            }
            Files.move(tmp, path.resolve(SENTINEL), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sentinel in " + path + ": " + e.getMessage(), e);
        }
    }

    /** The endpos the sentinel holds, if one was set. */
    public OptionalLong endpos() {
        Path file = path.resolve(SENTINEL);
        try {
            if (!Files.exists(file)) {
                return OptionalLong.empty();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.startsWith("endpos ") ? OptionalLong.of(Lsn.parse(text.substring(7).strip()))
                    : OptionalLong.empty();
        } catch (IOException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    /** Takes the sentinel's endpos away (a new follow starts without one). */
    public void clearEndpos() {
        try {
            Files.deleteIfExists(path.resolve(SENTINEL));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the copy of this follow finished (only changes are left to apply). */
    public boolean copyDone() {
        return Files.exists(path.resolve(COPY_DONE));
    }

    /** Records that the follow started with a copy (before it runs): a resume must find it finished. */
    public void markCopyStarted() {
        try {
            Files.writeString(path.resolve(COPY_STARTED), "started\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the follow started with a copy that did not finish: its changes cannot be applied. */
    public boolean copyUnfinished() {
        return Files.exists(path.resolve(COPY_STARTED)) && !copyDone();
    }

    /** Records that the copy finished. */
    public void markCopyDone() {
        try {
            Files.writeString(path.resolve(COPY_DONE), "done\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the change log, the sentinel and the marker (after a finished follow or a cleanup). */
    public void clear() {
        try {
            if (Files.isDirectory(changes())) {
                try (var files = Files.list(changes())) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(changes());
            }
            Files.deleteIfExists(path.resolve(SENTINEL));
            Files.deleteIfExists(path.resolve(COPY_DONE));
            Files.deleteIfExists(path.resolve(COPY_STARTED));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the follow's directory " + path + ": " + e.getMessage(), e);
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            // The lock goes with the channel anyway.
        }
    }
}
