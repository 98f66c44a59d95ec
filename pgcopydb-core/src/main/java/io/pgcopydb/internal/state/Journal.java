package io.pgcopydb.internal.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The append-only record of finished units of a copy, in the work directory: what {@code resume()} skips.
 *
 * <p>One line per unit, {@code kind<TAB>key<TAB>detail<TAB>crc32}, written with one {@code write} and forced to
 * disk before the unit counts as finished, so a crash at any instant (kill -9, power loss) leaves every line
 * either whole or absent: a reader keeps the lines up to the first one that is cut short or whose checksum does
 * not match, and ignores the rest. A unit committed on the target whose line was not yet written is simply done
 * again — every unit is written so that doing it twice is harmless (a whole table is TRUNCATEd in its COPY's
 * transaction; a split part deletes its range first; an index or constraint is looked for before it is built).
 *
 * <p>Keys are source OIDs (a table part {@code oid/part}); they are stable on the same source server. Thread-safe.
 */
public final class Journal implements AutoCloseable {
    static final String FILE = "journal";

    /** What a journal line says was finished. */
    public enum Kind {
        /**
         * The run that wrote the following lines: key is its run id, detail when it started and the
         * source/target pair ({@link WorkDirectory#pairKey}).
         */
        RUN,
        /** Pre-data restored, extension configuration and roles included. */
        PRE_DATA,
        /** A table part's COPY committed; detail is {@code rows bytes}. */
        PART,
        /** An index built. */
        INDEX,
        /** A constraint attached. */
        CONSTRAINT,
        /** A table's CLUSTER ON, REPLICA IDENTITY and statistics targets set. */
        INDEX_PROPERTIES,
        /** A table vacuumed. */
        VACUUM,
        /** Large objects copied. */
        LARGE_OBJECTS,
        /** Post-data restored. */
        POST_DATA,
        /** The copy finished. */
        DONE
    }

    /** One finished unit. */
    public record Entry(Kind kind, String key, String detail) {
    }

    private final Path file;
    private final FileChannel channel;
    private final List<Entry> previous;
    private final Map<String, Entry> finished = new HashMap<>();

    private Journal(Path file, FileChannel channel, List<Entry> previous) {
        this.file = file;
        this.channel = channel;
        this.previous = previous;
        previous.forEach(e -> finished.put(e.kind() + "\t" + e.key(), e));
    }

    /** Whether {@code dir} holds a journal with at least one entry. */
    public static boolean exists(Path dir) {
        return !read(dir.resolve(FILE)).isEmpty();
    }

    /** The entries of the journal in {@code dir}; empty when there is none. */
    static List<Entry> entries(Path dir) {
        return read(dir.resolve(FILE));
    }

    /**
     * Opens the journal in {@code dir} for appending; {@code keep} says whether earlier entries count (a resumed
     * run) or the file starts over. A torn last line is cut away before appending.
     */
    public static Journal open(Path dir, boolean keep) {
        Path file = dir.resolve(FILE);
        try {
            List<Entry> entries = keep ? read(file) : List.of();
            byte[] valid = keep ? validPrefix(file) : new byte[0];
            Path tmp = dir.resolve(FILE + ".tmp");
            Files.write(tmp, valid);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new Journal(file, channel, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** How many units {@code entries} record as finished (RUN lines are not units). */
    public static long unitsFinished(List<Entry> entries) {
        return entries.stream().filter(e -> e.kind() != Kind.RUN).count();
    }

    /** Entries written by earlier runs (empty unless resuming). */
    public List<Entry> previous() {
        return Collections.unmodifiableList(previous);
    }

    /** The entry of a finished unit, if an earlier run or this one finished it. */
    public synchronized Optional<Entry> finished(Kind kind, Object key) {
        return Optional.ofNullable(finished.get(kind + "\t" + key));
    }

    public boolean isFinished(Kind kind, Object key) {
        return finished(kind, key).isPresent();
    }

    /** Records a finished unit, durably, before returning. */
    public synchronized void record(Kind kind, Object key, String detail) {
        Entry e = new Entry(kind, String.valueOf(key), detail == null ? "" : detail);
        String body = e.kind() + "\t" + clean(e.key()) + "\t" + clean(e.detail());
        String line = body + "\t" + crc(body) + "\n";
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the journal " + file + ": " + ex.getMessage(), ex);
        }
        finished.put(kind + "\t" + e.key(), e);
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to write
        }
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static String crc(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    static List<Entry> read(Path file) {
        List<Entry> entries = new ArrayList<>();
        parse(file, entries);
        return entries;
    }

    private static byte[] validPrefix(Path file) {
        return java.util.Arrays.copyOf(bytes(file), parse(file, new ArrayList<>()));
    }

    /** Parses whole, well-checksummed lines into {@code into}; returns the byte length they cover. */
    private static int parse(Path file, List<Entry> into) {
        byte[] bytes = bytes(file);
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            String[] f = line.split("\t", -1);
            if (f.length != 4 || !crc(f[0] + "\t" + f[1] + "\t" + f[2]).equals(f[3])) {
                return start;
            }
            Kind kind;
            try {
                kind = Kind.valueOf(f[0]);
            } catch (IllegalArgumentException e) {
                return start;
            }
            into.add(new Entry(kind, f[1], f[2]));
            start = i + 1;
        }
        return start;
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file + ": " + e.getMessage(), e);
        }
    }
}
