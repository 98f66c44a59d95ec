package io.pgcopydb.internal.follow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeLogTest {
    private static final long BIG = 1L << 40;

    /** Transactions as pgoutput sends them: Begin, changes, Commit, with commit LSNs growing. */
    static List<List<StoredChange>> transactions(List<List<Integer>> sizes) {
        List<List<StoredChange>> txns = new ArrayList<>();
        long lsn = 0x1000;
        for (List<Integer> changes : sizes) {
            List<StoredChange> t = new ArrayList<>();
            long first = lsn;
            lsn += 0x100 * (changes.size() + 1);
            t.add(begin(first, lsn));
            long at = first;
            for (int size : changes) {
                byte[] m = new byte[1 + size];
                m[0] = 'I';
                for (int i = 1; i < m.length; i++) {
                    m[i] = (byte) (at + i);
                }
                t.add(new StoredChange(at += 0x10, m));
            }
            t.add(commit(lsn, lsn + 0x28));
            lsn += 0x30;
            txns.add(t);
        }
        return txns;
    }

    static StoredChange begin(long at, long finalLsn) {
        return new StoredChange(at, ByteBuffer.allocate(21).put((byte) 'B').putLong(finalLsn).putLong(0).putInt(7)
                .array());
    }

    static StoredChange commit(long commitLsn, long endLsn) {
        return new StoredChange(endLsn, ByteBuffer.allocate(26).put((byte) 'C').put((byte) 0).putLong(commitLsn)
                .putLong(endLsn).putLong(0).array());
    }

    static StoredChange relation(int oid, long at) {
        return new StoredChange(at, ByteBuffer.allocate(9).put((byte) 'R').putInt(oid).putInt(0).array());
    }

    @Provide
    Arbitrary<List<List<Integer>>> txnSizes() {
        return Arbitraries.integers().between(0, 300).list().ofMaxSize(6).list().ofMinSize(1).ofMaxSize(25);
    }

    private static List<StoredChange> readAll(ChangeLog log) {
        List<StoredChange> out = new ArrayList<>();
        log.reader(0, () -> Long.MAX_VALUE).forEachRemaining(out::add);
        return out;
    }

    private static List<StoredChange> flat(List<List<StoredChange>> txns) {
        return txns.stream().flatMap(List::stream).toList();
    }

    @Property(tries = 150)
    void anySequenceOfTransactionsRoundTripsAcrossSegments(@ForAll("txnSizes") List<List<Integer>> sizes,
            @ForAll @IntRange(min = 64, max = 4096) int segmentBytes) throws IOException {
        List<List<StoredChange>> txns = transactions(sizes);
        Path dir = Files.createTempDirectory("changelog");
        try {
            try (ChangeLog log = ChangeLog.open(dir, segmentBytes, BIG)) {
                flat(txns).forEach(log::append);
                log.sync();
            }
            try (ChangeLog log = ChangeLog.open(dir, segmentBytes, BIG)) {
                log.finish();
                assertThat(readAll(log)).containsExactlyElementsOf(flat(txns));
                assertThat(log.durableCommitEnd()).isEqualTo(PgOutputMessages.commitEndLsn(txns.get(txns.size() - 1)
                        .get(txns.get(txns.size() - 1).size() - 1)));
            }
        } finally {
            delete(dir);
        }
    }

    /** A crash may cut the last write anywhere: whole transactions before the cut are kept, nothing after. */
    @Property(tries = 200)
    void aTornTailAtAnyByteIsDiscarded(@ForAll("txnSizes") List<List<Integer>> sizes,
            @ForAll @IntRange(min = 0, max = 1_000_000) int cutSeed) throws IOException {
        List<List<StoredChange>> txns = transactions(sizes);
        Path dir = Files.createTempDirectory("changelog");
        try {
            Path file;
            try (ChangeLog log = ChangeLog.open(dir, BIG, BIG)) {
                flat(txns).forEach(log::append);
                file = log.segmentFiles().get(0);
            }
            long size = Files.size(file);
            int cut = (int) (cutSeed % (size + 1));
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, cut));

            List<StoredChange> expected = new ArrayList<>();
            long end = 0;
            for (List<StoredChange> t : txns) {
                end += t.stream().mapToLong(LogRecord::size).sum();
                if (end <= cut) {
                    expected.addAll(t);
                }
            }
            try (ChangeLog log = ChangeLog.open(dir, BIG, BIG)) {
                assertThat(Files.size(file)).as("cut back to the last whole transaction")
                        .isEqualTo(expected.stream().mapToLong(LogRecord::size).sum());
                // The log goes on after the cut: the slot sends the lost transactions again.
                List<StoredChange> rest = flat(txns).subList(expected.size(), flat(txns).size());
                rest.forEach(log::append);
                log.finish();
                log.sync();
                assertThat(readAll(log)).containsExactlyElementsOf(flat(txns));
            }
        } finally {
            delete(dir);
        }
    }

    /** CRC32C catches any flipped bit: the log ends before the record it hit, never returning it changed. */
    @Property(tries = 200)
    void aFlippedBitEndsTheLogBeforeItsRecord(@ForAll("txnSizes") List<List<Integer>> sizes,
            @ForAll @IntRange(min = 0, max = 10_000_000) int bitSeed) throws IOException {
        List<List<StoredChange>> txns = transactions(sizes);
        Path dir = Files.createTempDirectory("changelog");
        try {
            Path file;
            try (ChangeLog log = ChangeLog.open(dir, BIG, BIG)) {
                flat(txns).forEach(log::append);
                file = log.segmentFiles().get(0);
            }
            byte[] bytes = Files.readAllBytes(file);
            int bit = bitSeed % (bytes.length * 8);
            bytes[bit / 8] ^= (byte) (1 << bit % 8);
            Files.write(file, bytes);

            List<StoredChange> expected = new ArrayList<>();
            long end = 0;
            for (List<StoredChange> t : txns) {
                end += t.stream().mapToLong(LogRecord::size).sum();
                if (end <= bit / 8) {
                    expected.addAll(t);
                } else {
                    break;
                }
            }
            try (ChangeLog log = ChangeLog.open(dir, BIG, BIG)) {
                log.finish();
                List<StoredChange> read = readAll(log);
                assertThat(read).as("the damaged record is not read").hasSizeLessThan(flat(txns).size());
                assertThat(read).as("nothing changed is ever returned")
                        .containsExactlyElementsOf(flat(txns).subList(0, read.size()));
                assertThat(read.size()).as("whole transactions before the damaged record")
                        .isGreaterThanOrEqualTo(expected.size());
            }
        } finally {
            delete(dir);
        }
    }

    @Test
    void aTransactionSentAgainAfterACrashIsStoredOnce(@TempDir Path dir) {
        List<List<StoredChange>> txns = transactions(List.of(List.of(3, 4), List.of(5)));
        try (ChangeLog log = ChangeLog.open(dir, BIG, BIG)) {
            flat(txns).forEach(log::append);
            flat(txns).forEach(log::append);
            log.sync();
            log.finish();
            assertThat(readAll(log)).containsExactlyElementsOf(flat(txns));
        }
    }

    @Test
    void everySegmentStartsWithTheRelationsSeenSoFarAndAppliedSegmentsArePruned(@TempDir Path dir) {
        List<List<StoredChange>> txns = transactions(List.of(List.of(100), List.of(100), List.of(100), List.of(1)));
        try (ChangeLog log = ChangeLog.open(dir, 100, BIG)) {
            log.append(txns.get(0).get(0));
            log.append(relation(16384, 0x1001));
            txns.get(0).subList(1, txns.get(0).size()).forEach(log::append);
            txns.subList(1, 4).forEach(t -> t.forEach(log::append));
            log.sync();
            assertThat(log.segmentFiles()).hasSize(4);
            long secondEnd = PgOutputMessages.commitEndLsn(txns.get(1).get(2));

            List<StoredChange> fromThird = new ArrayList<>();
            log.finish();
            log.reader(secondEnd, () -> Long.MAX_VALUE).forEachRemaining(fromThird::add);
            assertThat(fromThird.get(0)).as("the relation comes first").isEqualTo(relation(16384, 0x1001));
            assertThat(fromThird.subList(1, fromThird.size())).containsExactlyElementsOf(withRelation(txns));

            assertThat(log.prune(secondEnd)).isEqualTo(2);
            assertThat(log.segmentFiles()).hasSize(2);
            assertThat(log.prune(Long.MAX_VALUE)).as("the current segment stays").isEqualTo(1);
        }
    }

    private static List<StoredChange> withRelation(List<List<StoredChange>> txns) {
        List<StoredChange> out = new ArrayList<>(txns.get(2));
        out.add(relation(16384, 0x1001));
        out.addAll(txns.get(3));
        return out;
    }

    @Test
    void overItsBoundTheLogSaysSoAndTheLagClockForgetsWhatIsApplied(@TempDir Path dir) {
        List<List<StoredChange>> txns = transactions(List.of(List.of(600), List.of(600)));
        try (ChangeLog log = ChangeLog.open(dir, 1024, 1 << 20)) {
            assertThat(log.overBound()).isFalse();
        }
        try (ChangeLog log = ChangeLog.open(dir.resolve("small"), 512, 1000)) {
            txns.get(0).forEach(log::append);
            log.sync();
            assertThat(log.overBound()).as("%s bytes over 1000", log.diskBytes()).isFalse();
            long firstEnd = PgOutputMessages.commitEndLsn(txns.get(0).get(2));
            assertThat(log.oldestUnappliedCommitMicros(0)).as("the first transaction waits").isPresent();
            txns.get(1).forEach(log::append);
            log.sync();
            assertThat(log.overBound()).isTrue();
            assertThat(log.prune(firstEnd)).isEqualTo(1);
            assertThat(log.overBound()).as("pruned below the bound").isFalse();
            log.prune(Long.MAX_VALUE);
            assertThat(log.oldestUnappliedCommitMicros(Long.MAX_VALUE - 1)).isEmpty();
        }
    }

    @Test
    void aTransactionStillArrivingCountsForTheLagFromItsBegin(@TempDir Path dir) {
        long committedAt = 5_000_000L;  // µs after 2000-01-01, as pgoutput counts
        StoredChange begin = new StoredChange(0x100, ByteBuffer.allocate(21).put((byte) 'B').putLong(0x200)
                .putLong(committedAt).putInt(7).array());
        try (ChangeLog log = ChangeLog.open(dir, 1 << 20, 1 << 30)) {
            log.append(begin);
            log.append(relation(16384, 0x110));
            assertThat(log.oldestUnappliedCommitMicros(0)).as("its Commit not received yet")
                    .hasValue(946_684_800_000_000L + committedAt);
        }
    }

    @Test
    void theReaderWaitsForMoreAndStopsBeforeTheTransactionAtEndpos(@TempDir Path dir) throws Exception {
        List<List<StoredChange>> txns = transactions(List.of(List.of(3), List.of(4), List.of(5)));
        long secondCommit = PgOutputMessages.beginFinalLsn(txns.get(1).get(0));
        long thirdCommit = PgOutputMessages.beginFinalLsn(txns.get(2).get(0));
        try (ChangeLog log = ChangeLog.open(dir, BIG, BIG)) {
            txns.get(0).forEach(log::append);
            log.sync();
            ChangeLogReader reader = log.reader(0, () -> thirdCommit);
            CompletableFuture<List<StoredChange>> read = CompletableFuture.supplyAsync(() -> {
                List<StoredChange> out = new ArrayList<>();
                reader.forEachRemaining(out::add);
                return out;
            });
            Thread.sleep(300);
            assertThat(read).as("waits while the receiver runs").isNotDone();
            txns.get(1).forEach(log::append);
            txns.get(2).forEach(log::append);
            log.sync();
            assertThat(read.get(10, TimeUnit.SECONDS)).as("whole transactions committed before endpos")
                    .containsExactlyElementsOf(flat(txns.subList(0, 2)));
            assertThat(reader.lastCommitEnd()).isGreaterThan(secondCommit);
        }
    }

    @Test
    void theReaderEndsAtEndposOnceTheReceiverCaughtUpPastIt(@TempDir Path dir) throws Exception {
        List<List<StoredChange>> txns = transactions(List.of(List.of(3)));
        try (ChangeLog log = ChangeLog.open(dir, BIG, BIG)) {
            txns.get(0).forEach(log::append);
            log.sync();
            long endpos = 0x100000;
            CompletableFuture<List<StoredChange>> read = CompletableFuture.supplyAsync(() -> {
                List<StoredChange> out = new ArrayList<>();
                log.reader(0, () -> endpos).forEachRemaining(out::add);
                return out;
            });
            Thread.sleep(300);
            assertThat(read).isNotDone();
            log.caughtUp(endpos + 8);
            assertThat(read.get(10, TimeUnit.SECONDS)).containsExactlyElementsOf(txns.get(0));
            assertThat(log.durablePosition()).isEqualTo(endpos + 8);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
