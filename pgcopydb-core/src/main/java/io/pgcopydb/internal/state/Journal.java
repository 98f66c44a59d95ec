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
 * <p>One line per unit ({@link JournalEntry}), {@code kind<TAB>key<TAB>detail<TAB>crc32}, written with one
 * {@code write} and forced to disk before the unit counts as finished, so a crash at any instant (kill -9, power loss) leaves every line
 * either whole or absent: a reader keeps the lines up to the first one that is cut short or whose checksum does
 * not match, and ignores the rest. A unit committed on the target whose line was not yet written is simply done
 * again — every unit is written so that doing it twice is harmless (a whole table is TRUNCATEd in its COPY's
 * transaction; a part split by key deletes its range first; a table split by pages is emptied and copied whole
 * again; an index or constraint is looked for before it is built).
 * A resumed run that takes back part of a finished run-wide unit (post-data objects in the way of tables it
 * copies again) first writes a {@link JournalEntry.Undone} line, so the unit counts as not finished from then on;
 * a table split by pages, whose parts are redone together, gets a {@link JournalEntry.TableTruncated} line each time
 * it is emptied, after which its earlier parts count no more.
 *
 * <p>Thread-safe.
 */
public final class Journal implements AutoCloseable {
    /** The journal's file name in the work directory. */
    public static final String FILE = "journal";

    private final Path file;
    private final FileChannel channel;
    private final List<JournalEntry> previous;
    private final Map<String, JournalEntry> finished = new HashMap<>();

    private Journal(Path file, FileChannel channel, List<JournalEntry> previous) {
        this.file = file;
        this.channel = channel;
        this.previous = previous;
        previous.forEach(e -> replay(finished, e));
    }

    /**
     * Applies {@code entry} to the map of finished units: records it, or takes back the unit it undoes, or the parts
     * of the table it empties.
     */
    private static void replay(Map<String, JournalEntry> finished, JournalEntry entry) {
        if (entry instanceof JournalEntry.Undone undone) {
            finished.remove(index(undone.unit(), ""));
        } else if (entry instanceof JournalEntry.TableTruncated truncated) {
            String parts = index(JournalEntry.Kind.PART, truncated.tableOid() + "/");
            finished.keySet().removeIf(k -> k.startsWith(parts));
            finished.put(index(entry.kind(), entry.key()), entry);
        } else {
            finished.put(index(entry.kind(), entry.key()), entry);
        }
    }

    /** Whether {@code dir} holds a journal with at least one entry. */
    public static boolean exists(Path dir) {
        return !read(dir.resolve(FILE)).isEmpty();
    }

    /** The entries of the journal in {@code dir}; empty when there is none. */
    public static List<JournalEntry> entries(Path dir) {
        return read(dir.resolve(FILE));
    }

    /** Opens the journal in {@code dir} keeping its entries (a resumed run); a torn last line is cut away. */
    public static Journal resume(Path dir) {
        return open(dir, true);
    }

    /** Opens the journal in {@code dir} empty: whatever it held is discarded. */
    public static Journal startOver(Path dir) {
        return open(dir, false);
    }

    private static Journal open(Path dir, boolean keep) {
        Path file = dir.resolve(FILE);
        try {
            List<JournalEntry> entries = keep ? read(file) : List.of();
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

    /**
     * How many units {@code entries} record as finished (run and truncation lines are not units; an undone unit is
     * not, nor a part recorded before its table's truncation).
     */
    public static long unitsFinished(List<JournalEntry> entries) {
        return finishedUnits(entries).stream()
                .filter(e -> e.kind() != JournalEntry.Kind.RUN && e.kind() != JournalEntry.Kind.TRUNCATED).count();
    }

    /**
     * The entries of {@code entries} that still count once replayed in order: an undone unit and the parts of a
     * table emptied after them are gone (run and truncation lines stay).
     */
    public static List<JournalEntry> finishedUnits(List<JournalEntry> entries) {
        Map<String, JournalEntry> finished = new HashMap<>();
        entries.forEach(e -> replay(finished, e));
        return List.copyOf(finished.values());
    }

    /** Entries written by earlier runs (empty unless resuming). */
    public List<JournalEntry> previous() {
        return Collections.unmodifiableList(previous);
    }

    /** The entry of a finished unit, if an earlier run or this one finished it. */
    public synchronized Optional<JournalEntry> finished(JournalEntry.Kind kind, Object key) {
        return Optional.ofNullable(finished.get(index(kind, key)));
    }

    /** Whether the unit of {@code kind} with {@code key} was finished. */
    public boolean isFinished(JournalEntry.Kind kind, Object key) {
        return finished(kind, key).isPresent();
    }

    /** Whether the run-wide unit of {@code kind} (pre-data, large objects, post-data) was finished. */
    public boolean isFinished(JournalEntry.Kind kind) {
        return isFinished(kind, "");
    }

    /** The keys of the finished units of {@code kind}, as numbers (OIDs of indexes, constraints, tables). */
    public synchronized java.util.Set<Long> finishedOids(JournalEntry.Kind kind) {
        String prefix = kind + "\t";
        java.util.Set<Long> oids = new java.util.HashSet<>();
        finished.keySet().stream().filter(k -> k.startsWith(prefix))
                .forEach(k -> oids.add(Long.parseLong(k.substring(prefix.length()))));
        return oids;
    }

    /** The finished part {@code part} of a table, if it was finished. */
    public Optional<JournalEntry.PartCopied> partCopied(long tableOid, int part) {
        return finished(JournalEntry.Kind.PART, JournalEntry.PartCopied.key(tableOid, part))
                .map(JournalEntry.PartCopied.class::cast);
    }

    /** The last truncation of a table split by pages, if one was recorded. */
    public Optional<JournalEntry.TableTruncated> truncation(long tableOid) {
        return finished(JournalEntry.Kind.TRUNCATED, tableOid).map(JournalEntry.TableTruncated.class::cast);
    }

    /** Records a finished unit, durably, before returning. */
    public synchronized void record(JournalEntry entry) {
        JournalEntry.Line fields = entry.line();
        String body = fields.kind() + "\t" + clean(fields.key()) + "\t" + clean(fields.detail());
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
        replay(finished, entry);
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to write
        }
    }

    private static String index(JournalEntry.Kind kind, Object key) {
        return kind + "\t" + key;
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static String crc(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    private static List<JournalEntry> read(Path file) {
        List<JournalEntry> entries = new ArrayList<>();
        parse(file, entries);
        return entries;
    }

    private static byte[] validPrefix(Path file) {
        return java.util.Arrays.copyOf(bytes(file), parse(file, new ArrayList<>()));
    }

    /** Parses whole, well-checksummed lines into {@code into}; returns the byte length they cover. */
    private static int parse(Path file, List<JournalEntry> into) {
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
            try {
                into.add(JournalEntry.decode(JournalEntry.Kind.valueOf(f[0]), f[1], f[2]));
            } catch (IllegalArgumentException e) {
                return start;
            }
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
