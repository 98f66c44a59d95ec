package io.pgcopydb.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @Test
    void entriesSurviveAReopenAndRestartForgetsThem(@TempDir Path dir) {
        try (Journal j = Journal.open(dir, false)) {
            j.record(Journal.Kind.RUN, "r1", "t");
            j.record(Journal.Kind.PART, "16384/2", "10 200");
            j.record(Journal.Kind.INDEX, 16390L, "public.t_pkey");
        }
        try (Journal resumed = Journal.open(dir, true)) {
            assertThat(resumed.finished(Journal.Kind.PART, "16384/2")).hasValueSatisfying(
                    e -> assertThat(e.detail()).isEqualTo("10 200"));
            assertThat(resumed.isFinished(Journal.Kind.INDEX, 16390L)).isTrue();
            assertThat(resumed.isFinished(Journal.Kind.PART, "16384/1")).isFalse();
            assertThat(resumed.previous()).hasSize(3);
        }
        try (Journal restarted = Journal.open(dir, false)) {
            assertThat(restarted.previous()).isEmpty();
            assertThat(restarted.isFinished(Journal.Kind.INDEX, 16390L)).isFalse();
        }
        assertThat(Journal.entries(dir)).isEmpty();
    }

    /** A crash may cut the last write anywhere: every whole line before it counts, nothing after it. */
    @Property(tries = 200)
    void aTornLastLineIsIgnoredAndCutAway(@ForAll @IntRange(min = 1, max = 40) int cut) throws IOException {
        Path dir = Files.createTempDirectory("journal-test");
        try {
            try (Journal j = Journal.open(dir, false)) {
                j.record(Journal.Kind.PART, "1/1", "5 50");
                j.record(Journal.Kind.VACUUM, 1L, "public.a");
            }
            byte[] whole = Files.readAllBytes(dir.resolve(Journal.FILE));
            int firstLineLength = new String(whole, StandardCharsets.UTF_8).indexOf('\n') + 1;
            int secondLineLength = whole.length - firstLineLength;
            // Anywhere inside the second line, its newline included.
            Files.write(dir.resolve(Journal.FILE), Arrays.copyOf(whole, whole.length - 1 - (cut - 1) % secondLineLength));

            assertThat(Journal.entries(dir)).extracting(Journal.Entry::kind).containsExactly(Journal.Kind.PART);
            try (Journal resumed = Journal.open(dir, true)) {
                resumed.record(Journal.Kind.INDEX, 7L, "i");
            }
            assertThat(Journal.entries(dir)).extracting(Journal.Entry::kind)
                    .containsExactly(Journal.Kind.PART, Journal.Kind.INDEX);
        } finally {
            WorkDirectory.deleteRecursively(dir);
        }
    }

    @Test
    void aLineWhoseChecksumDoesNotMatchEndsTheJournal(@TempDir Path dir) throws IOException {
        try (Journal j = Journal.open(dir, false)) {
            j.record(Journal.Kind.PART, "1/1", "5 50");
        }
        Files.writeString(dir.resolve(Journal.FILE), "PART\t2/1\t5 50\tdeadbeef\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (Journal j = Journal.open(dir, true)) {
            j.record(Journal.Kind.PART, "3/1", "1 1");
        }

        assertThat(Journal.entries(dir)).extracting(Journal.Entry::key).containsExactly("1/1", "3/1");
    }
}
