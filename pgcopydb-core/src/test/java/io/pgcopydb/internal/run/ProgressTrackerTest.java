package io.pgcopydb.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.CopyProgress;
import io.pgcopydb.JobProgress;
import io.pgcopydb.Phase;
import io.pgcopydb.PlannedCopy;
import io.pgcopydb.SkipReason;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The snapshot from the listener's events, on a clock the test moves. */
class ProgressTrackerTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final ProgressTracker tracker = new ProgressTracker(clock::get);

    private static SourceTable table(String name, long bytes) {
        return new SourceTable(name.hashCode() & 0xffff, new QualifiedName("public", name), bytes, -1, List.of("a"),
                false);
    }

    private static PlannedCopy plan(List<TablePart> parts, List<IndexDefinition> indexes) {
        return new PlannedCopy(parts, List.of(), indexes, List.of(), parts.stream().map(p -> p.table().name())
                .distinct().toList(), 0, 0, List.of());
    }

    @Test
    void beforeThePlanThereIsNothingToCountAgainst() {
        tracker.phaseStarted(Phase.PREFLIGHT);
        CopyProgress p = tracker.snapshot(true);
        assertThat(p.planned()).isFalse();
        assertThat(p.fraction()).isZero();
        assertThat(p.line()).isEqualTo("step 1: check servers, tools and the target");
    }

    @Test
    void bytesRiseWithTheRunningCopiesAndReachTheTotalWhenTheLastPartEnds() {
        SourceTable big = table("big", 1_000_000);
        SourceTable small = table("small", 10_000);
        IndexDefinition index = new IndexDefinition(7, new QualifiedName("public", "big_pkey"), big.name(),
                big.oid(), "CREATE UNIQUE INDEX big_pkey ON public.big USING btree (a)", Optional.empty());
        TablePart whole = TablePart.whole(big);
        tracker.copyPlanned(plan(List.of(whole, TablePart.whole(small)), List.of(index)));
        tracker.phaseStarted(Phase.COPY_DATA);
        tracker.tableCopyStarted(whole);
        clock.addAndGet(2 * SECOND);
        tracker.tableCopyProgress(whole, 100, 250_000);

        CopyProgress p = tracker.snapshot(true);
        assertThat(p.bytesTotal()).isEqualTo(1_010_000);
        assertThat(p.bytesDone()).as("a quarter of big, streamed 1:1 before any part finished").isEqualTo(250_000);
        assertThat(p.bytesPerSecond()).as("average since the data started").isEqualTo(125_000);
        assertThat(p.eta()).as("big's own ETA, 6 s, is shorter than the data's")
                .contains(Duration.ofNanos((long) (760_000 / 125_000.0 * 1e9)));
        assertThat(p.jobs()).singleElement().satisfies(j -> {
            assertThat(j.kind()).isEqualTo(JobProgress.Kind.COPY);
            assertThat(j.name()).isEqualTo("public.big");
            assertThat(j.fraction().getAsDouble()).isEqualTo(0.25);
            assertThat(j.bytesPerSecond()).isEqualTo(125_000);
            assertThat(j.eta()).contains(Duration.ofSeconds(6));
        });
        assertThat(p.phase()).contains(Phase.COPY_DATA);

        tracker.tableCopyFinished(whole, 400, 1_000_000, Duration.ofSeconds(8));
        tracker.indexStarted(index);
        tracker.tableCopySkipped(TablePart.whole(small), SkipReason.ALREADY_DONE);
        tracker.server(Map.of(ProgressTracker.indexKey(index),
                new JobProgress.ServerPhase("CREATE INDEX", "building index: scanning table", 30, 120, "blocks")));
        p = tracker.snapshot(true);
        assertThat(p.bytesDone()).isEqualTo(p.bytesTotal());
        assertThat(p.fraction()).isEqualTo(1.0);
        assertThat(p.eta()).contains(Duration.ZERO);
        assertThat(p.tables()).isEqualTo(new CopyProgress.UnitCount(2, 0, 0, 2));
        assertThat(p.indexes().toString()).isEqualTo("0/1");
        assertThat(p.jobs()).singleElement().satisfies(j -> {
            assertThat(j.kind()).isEqualTo(JobProgress.Kind.INDEX);
            assertThat(j.fraction().getAsDouble()).isEqualTo(0.25);
            assertThat(j.server().orElseThrow().phase()).isEqualTo("building index: scanning table");
        });
        assertThat(p.line()).startsWith("data 100.0 % (986 kB of 986 kB)")
                .contains("tables 2/2, indexes 0/1, constraints 0/0, vacuums 0/2")
                .endsWith("running: CREATE INDEX public.big_pkey building index: scanning table 25 %");
        assertThat(tracker.worthPolling()).isTrue();
        clock.addAndGet(ProgressTracker.LOOKING_NANOS);
        assertThat(tracker.worthPolling()).as("nobody looked lately").isFalse();
        tracker.snapshot(true);
        clock.addAndGet(10 * SECOND);
        tracker.snapshot(true);
        clock.addAndGet(15 * SECOND);
        assertThat(tracker.worthPolling()).as("who looks every 10 s finds fresh figures at the next look").isTrue();
        clock.addAndGet(5 * SECOND);
        assertThat(tracker.worthPolling()).isFalse();

        tracker.indexFinished(index, Duration.ofSeconds(1));
        assertThat(tracker.snapshot(true).indexes()).isEqualTo(new CopyProgress.UnitCount(1, 0, 0, 1));
        tracker.phaseFinished(Phase.COPY_DATA, Duration.ZERO);
        tracker.phaseStarted(Phase.FINALIZE_SCHEMA);
        assertThat(tracker.snapshot(true).line()).as("the data in, the step instead of rate and ETA").startsWith(
                "data 100.0 % (986 kB of 986 kB), step 8: restore the post-data section to the target database; "
                        + "tables 2/2, indexes 1/1");
        assertThat(tracker.worthPolling()).as("no index build or vacuum runs").isFalse();
    }

    @Test
    void theDataIsNotInBeforeItsSlowestRunningCopy() {
        SourceTable big = table("big", 1_000_000);
        SourceTable done = table("done", 9_000_000);
        tracker.copyPlanned(plan(List.of(TablePart.whole(done), TablePart.whole(big)), List.of()));
        tracker.tableCopyStarted(TablePart.whole(done));
        tracker.tableCopyStarted(TablePart.whole(big));
        clock.addAndGet(SECOND);
        tracker.tableCopyFinished(TablePart.whole(done), 1, 9_000_000, Duration.ofSeconds(1));
        tracker.tableCopyProgress(TablePart.whole(big), 1, 100_000);
        CopyProgress p = tracker.snapshot(true);
        assertThat(p.bytesPerSecond()).as("9.1 MB in a second").isEqualTo(9_100_000);
        assertThat(p.eta()).as("big alone: 10 %% in 1 s, 9 s to go, not 0.1 s at the run's rate")
                .contains(Duration.ofSeconds(9));
    }

    @Test
    void aFailedPartFailsItsTableAndEndsItsBytes() {
        SourceTable t = table("t", 300);
        List<TablePart> parts = List.of(new TablePart(t, 1, 2, Optional.of("a < 5")),
                new TablePart(t, 2, 2, Optional.of("a >= 5")));
        tracker.copyPlanned(plan(parts, List.of()));
        tracker.tableCopyFinished(parts.get(0), 1, 1, Duration.ZERO);
        assertThat(tracker.snapshot(false).tables().ended()).as("one part left").isZero();
        tracker.tableCopyFailed(parts.get(1), new RuntimeException());
        tracker.tableCopyFailed(parts.get(1), new RuntimeException());
        CopyProgress p = tracker.snapshot(false);
        assertThat(p.tables()).isEqualTo(new CopyProgress.UnitCount(0, 1, 0, 1));
        assertThat(p.bytesDone()).isEqualTo(300);
    }

    @Property(tries = 100)
    void doneNeverExceedsTheTotalAndReachesItWhenEveryPartEnded(
            @ForAll @Size(min = 1, max = 12) List<@LongRange(min = 0, max = 1L << 36) Long> sizes,
            @ForAll @IntRange(min = 0, max = 1000) int streamedPercent) {
        ProgressTracker t = new ProgressTracker(clock::get);
        List<TablePart> parts = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            parts.add(TablePart.whole(table("t" + i, sizes.get(i))));
        }
        t.copyPlanned(plan(parts, List.of()));
        long last = 0;
        for (TablePart part : parts) {
            t.tableCopyStarted(part);
            clock.addAndGet(SECOND);
            t.tableCopyProgress(part, 1, part.bytes() * streamedPercent / 100);
            CopyProgress p = t.snapshot(true);
            assertThat(p.bytesDone()).isBetween(last, p.bytesTotal());
            last = p.bytesDone();
            t.tableCopyFinished(part, 1, part.bytes() * streamedPercent / 100, Duration.ofSeconds(1));
        }
        CopyProgress end = t.snapshot(true);
        assertThat(end.bytesDone()).isEqualTo(end.bytesTotal());
        assertThat(end.fraction()).isEqualTo(1.0);
        assertThat(end.jobs()).isEmpty();
        assertThat(end.tables().done()).isEqualTo(parts.size());
    }
}
