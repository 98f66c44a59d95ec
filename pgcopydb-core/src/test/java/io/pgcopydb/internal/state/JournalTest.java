package io.pgcopydb.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.state.JournalEntry.ConstraintAttached;
import io.pgcopydb.internal.state.JournalEntry.CopyFinished;
import io.pgcopydb.internal.state.JournalEntry.IndexBuilt;
import io.pgcopydb.internal.state.JournalEntry.Kind;
import io.pgcopydb.internal.state.JournalEntry.LargeObjectsCopied;
import io.pgcopydb.internal.state.JournalEntry.PartCopied;
import io.pgcopydb.internal.state.JournalEntry.PostDataRestored;
import io.pgcopydb.internal.state.JournalEntry.PreDataRestored;
import io.pgcopydb.internal.state.JournalEntry.RunStarted;
import io.pgcopydb.internal.state.JournalEntry.TableTruncated;
import io.pgcopydb.internal.state.JournalEntry.TableVacuumed;
import io.pgcopydb.internal.state.JournalEntry.Undone;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static final Instant T = Instant.parse("2026-12-06T08:21:04.123456Z");

    @Test
    void entriesSurviveAReopenAndRestartForgetsThem(@TempDir Path dir) {
        try (Journal j = Journal.startOver(dir)) {
            j.record(new RunStarted("r1", T, "pair"));
            j.record(new PartCopied(16384, 2, 10, 200));
            j.record(new IndexBuilt(16390L, "public.t_pkey"));
        }
        try (Journal resumed = Journal.resume(dir)) {
            assertThat(resumed.partCopied(16384, 2)).hasValueSatisfying(e -> {
                assertThat(e.rows()).isEqualTo(10);
                assertThat(e.bytes()).isEqualTo(200);
            });
            assertThat(resumed.isFinished(Kind.INDEX, 16390L)).isTrue();
            assertThat(resumed.partCopied(16384, 1)).isEmpty();
            assertThat(resumed.previous()).hasSize(3);
        }
        try (Journal restarted = Journal.startOver(dir)) {
            assertThat(restarted.previous()).isEmpty();
            assertThat(restarted.isFinished(Kind.INDEX, 16390L)).isFalse();
        }
        assertThat(Journal.entries(dir)).isEmpty();
    }

    /**
     * A resumed run that takes post-data back writes UNDONE: from that line on post-data counts as not finished,
     * in this run and in the next resume, until it is recorded again.
     */
    @Test
    void anUndoneUnitIsNotFinishedUntilItIsRecordedAgain(@TempDir Path dir) {
        try (Journal j = Journal.startOver(dir)) {
            j.record(new RunStarted("r1", T, "pair"));
            j.record(new PostDataRestored());
            j.record(new Undone(Kind.POST_DATA));
            assertThat(j.isFinished(Kind.POST_DATA)).isFalse();
        }
        assertThat(Journal.unitsFinished(Journal.entries(dir))).isZero();
        try (Journal resumed = Journal.resume(dir)) {
            assertThat(resumed.isFinished(Kind.POST_DATA)).as("killed before post-data was done again").isFalse();
            resumed.record(new PostDataRestored());
        }
        try (Journal again = Journal.resume(dir)) {
            assertThat(again.isFinished(Kind.POST_DATA)).isTrue();
        }
        assertThat(Journal.unitsFinished(Journal.entries(dir))).isOne();
    }

    /**
     * The trap of tables split by pages: run 1 records part 1 and dies; run 2 empties the table, records part 2 and
     * dies; run 3 must not believe parts 1 and 2 are on the target — only parts recorded after the table's last
     * truncation count. Other tables' parts are untouched.
     */
    @Test
    void partsRecordedBeforeTheirTablesTruncationCountNoMore(@TempDir Path dir) {
        try (Journal run1 = Journal.startOver(dir)) {
            run1.record(new TableTruncated(16384, 3, "public.t"));
            run1.record(new PartCopied(16384, 1, 10, 100));
            run1.record(new PartCopied(16385, 1, 7, 70));
        }
        try (Journal run2 = Journal.resume(dir)) {
            assertThat(run2.partCopied(16384, 1)).isPresent();
            run2.record(new TableTruncated(16384, 3, "public.t"));
            assertThat(run2.partCopied(16384, 1)).as("emptied in this run").isEmpty();
            run2.record(new PartCopied(16384, 2, 10, 100));
        }
        assertThat(Journal.unitsFinished(Journal.entries(dir))).as("part 2 of t, part 1 of the other table").isEqualTo(2);
        try (Journal run3 = Journal.resume(dir)) {
            assertThat(run3.partCopied(16384, 1)).as("recorded before the last truncation").isEmpty();
            assertThat(run3.partCopied(16384, 2)).isPresent();
            assertThat(run3.partCopied(16385, 1)).as("another table's part").isPresent();
            assertThat(run3.truncation(16384)).hasValue(new TableTruncated(16384, 3, "public.t"));
            assertThat(run3.truncation(16385)).isEmpty();
        }
    }

    /** A crash may cut the last write anywhere: every whole line before it counts, nothing after it. */
    @Property(tries = 200)
    void aTornLastLineIsIgnoredAndCutAway(@ForAll @IntRange(min = 1, max = 40) int cut) throws IOException {
        Path dir = Files.createTempDirectory("journal-test");
        try {
            try (Journal j = Journal.startOver(dir)) {
                j.record(new PartCopied(1, 1, 5, 50));
                j.record(new TableVacuumed(1L, "public.a"));
            }
            byte[] whole = Files.readAllBytes(dir.resolve(Journal.FILE));
            int firstLineLength = new String(whole, StandardCharsets.UTF_8).indexOf('\n') + 1;
            int secondLineLength = whole.length - firstLineLength;
            // Anywhere inside the second line, its newline included.
            Files.write(dir.resolve(Journal.FILE), Arrays.copyOf(whole, whole.length - 1 - (cut - 1) % secondLineLength));

            assertThat(Journal.entries(dir)).extracting(JournalEntry::kind).containsExactly(Kind.PART);
            try (Journal resumed = Journal.resume(dir)) {
                resumed.record(new IndexBuilt(7L, "i"));
            }
            assertThat(Journal.entries(dir)).extracting(JournalEntry::kind)
                    .containsExactly(Kind.PART, Kind.INDEX);
        } finally {
            WorkDirectory.deleteRecursively(dir);
        }
    }

    @Test
    void aLineWhoseChecksumDoesNotMatchEndsTheJournal(@TempDir Path dir) throws IOException {
        try (Journal j = Journal.startOver(dir)) {
            j.record(new PartCopied(1, 1, 5, 50));
        }
        Files.writeString(dir.resolve(Journal.FILE), "PART\t2/1\t5 50\tdeadbeef\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (Journal j = Journal.resume(dir)) {
            j.record(new PartCopied(3, 1, 1, 1));
        }

        assertThat(Journal.entries(dir)).extracting(JournalEntry::key).containsExactly("1/1", "3/1");
    }

    /** The line format did not change with the typed entries: a journal an earlier version wrote still resumes. */
    @Test
    void readsTheLinesOfEarlierVersions(@TempDir Path dir) throws IOException {
        List<String> bodies = List.of("RUN\tab12cd34\t2026-12-01T10:00:00.5Z host_5432_db-to-host_5433_db-1a2b3c4d",
                "PRE_DATA\t\t", "PART\t16384/2\t10 200", "INDEX\t16390\tpublic.t_pkey",
                "CONSTRAINT\t16391\tpublic.t t_pkey", "VACUUM\t16384\tpublic.t", "LARGE_OBJECTS\t\t4000 123456",
                "POST_DATA\t\t", "DONE\tab12cd34\t2026-12-01T10:05:00Z");
        StringBuilder file = new StringBuilder();
        for (String body : bodies) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(body.getBytes(StandardCharsets.UTF_8));
            file.append(body).append('\t').append(String.format("%08x", crc.getValue())).append('\n');
        }
        Files.writeString(dir.resolve(Journal.FILE), file, StandardCharsets.UTF_8);

        assertThat(Journal.entries(dir)).containsExactly(
                new RunStarted("ab12cd34", Instant.parse("2026-12-01T10:00:00.5Z"), "host_5432_db-to-host_5433_db-1a2b3c4d"),
                new PreDataRestored(), new PartCopied(16384, 2, 10, 200), new IndexBuilt(16390, "public.t_pkey"),
                new ConstraintAttached(16391, "public.t t_pkey"), new TableVacuumed(16384, "public.t"),
                new LargeObjectsCopied(4000, 123456), new PostDataRestored(),
                new CopyFinished("ab12cd34", Instant.parse("2026-12-01T10:05:00Z")));
    }

    /** Whatever is recorded is read back as the same entry. */
    @Property(tries = 300)
    void everyEntryReadsBackAsItWasRecorded(@ForAll("entries") List<JournalEntry> entries) throws IOException {
        Path dir = Files.createTempDirectory("journal-test");
        try {
            try (Journal j = Journal.startOver(dir)) {
                entries.forEach(j::record);
            }
            assertThat(Journal.entries(dir)).containsExactlyElementsOf(entries);
        } finally {
            WorkDirectory.deleteRecursively(dir);
        }
    }

    @Provide
    Arbitrary<List<JournalEntry>> entries() {
        Arbitrary<Long> oid = Arbitraries.longs().between(1, 4_294_967_295L);
        Arbitrary<Long> count = Arbitraries.longs().between(0, Long.MAX_VALUE);
        // Names as people read them: no tabs or line breaks (the journal turns those into spaces).
        Arbitrary<String> name = Arbitraries.strings().withChars("abcxyz_.\" é").ofMaxLength(20);
        Arbitrary<String> runId = Arbitraries.strings().withChars("0123456789abcdef").ofLength(8);
        Arbitrary<Instant> at = Arbitraries.longs().between(0, 4_000_000_000_000L).map(Instant::ofEpochMilli);
        Arbitrary<JournalEntry> entry = Arbitraries.oneOf(
                Combinators.combine(runId, at, name.filter(n -> !n.isEmpty())).as(RunStarted::new),
                Arbitraries.just(new PreDataRestored()),
                Combinators.combine(oid, Arbitraries.integers().between(1, 64), count, count).as(PartCopied::new),
                Combinators.combine(oid, Arbitraries.integers().between(2, 64), name).as(TableTruncated::new),
                Combinators.combine(oid, name).as(IndexBuilt::new),
                Combinators.combine(oid, name).as(ConstraintAttached::new),
                Combinators.combine(oid, name).as(TableVacuumed::new),
                Combinators.combine(count, count).as(LargeObjectsCopied::new),
                Arbitraries.just(new PostDataRestored()),
                Arbitraries.just(new Undone(Kind.POST_DATA)),
                Combinators.combine(runId, at).as(CopyFinished::new));
        return entry.list().ofMaxSize(12);
    }
}
