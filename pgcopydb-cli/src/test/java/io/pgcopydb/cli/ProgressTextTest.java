package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.CopyProgress;
import io.pgcopydb.CopyProgress.UnitCount;
import io.pgcopydb.JobProgress;
import io.pgcopydb.Phase;
import io.pgcopydb.model.QualifiedName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.NotBlank;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The terminal lines of a progress snapshot: their widths, shortened names, ETAs, and a finished run. */
class ProgressTextTest {
    private static final QualifiedName TABLE = new QualifiedName("public", "orders");

    private static JobProgress copy(String name, long rows, long bytes, double fraction, long etaSeconds) {
        return new JobProgress(JobProgress.Kind.COPY, name, TABLE, Duration.ofSeconds(4), rows, bytes, bytes * 2,
                bytes / 4.0, OptionalDouble.of(fraction), Optional.of(Duration.ofSeconds(etaSeconds)),
                Optional.empty());
    }

    private static JobProgress index(String name, String phase, long done, long total) {
        return new JobProgress(JobProgress.Kind.INDEX, name, TABLE, Duration.ofSeconds(75), 0, 0, 0, 0,
                total > 0 ? OptionalDouble.of((double) done / total) : OptionalDouble.empty(), Optional.empty(),
                Optional.of(new JobProgress.ServerPhase("CREATE INDEX", phase, done, total, "blocks")));
    }

    private static CopyProgress progress(long done, long total, List<JobProgress> jobs) {
        UnitCount four = new UnitCount(1, 0, 0, 4);
        return new CopyProgress(Instant.EPOCH, Optional.of(Phase.COPY_DATA), Duration.ofSeconds(95), done, total,
                85e6, done < total ? Optional.of(Duration.ofSeconds(21)) : Optional.of(Duration.ZERO), jobs, four,
                new UnitCount(2, 0, 0, 12), four, four);
    }

    @Property
    void noLineIsAsWideAsTheTerminal(@ForAll @IntRange(min = 0, max = 300) int width,
            @ForAll @NotBlank @StringLength(max = 200) String name, @ForAll @LongRange(min = 0) long rows,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long bytes,
            @ForAll @DoubleRange(min = 0, max = 1) double fraction, @ForAll @LongRange(min = 0, max = 1L << 40) long eta,
            @ForAll @IntRange(min = 0, max = 40) int jobs) {
        List<JobProgress> running = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            running.add(i % 2 == 0 ? copy(name, rows, bytes, fraction, eta)
                    : index(name, "building index: scanning table", rows, bytes));
        }
        List<String> lines = ProgressText.lines(progress(bytes / 2, bytes, running), width, 16);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThan(Math.max(ProgressText.MIN_WIDTH, width)));
        assertThat(lines).as("at most 16 jobs, one line for the rest, the bar").hasSize(Math.min(jobs, 17) + 1);
        assertThat(lines.get(lines.size() - 1)).startsWith("[");
    }

    @Test
    void aLongNameKeepsItsStartAndItsPartNumber() {
        String name = "public.a_table_whose_name_goes_on_and_on_and_on_for_ever_and_more [12/16]";
        String line = ProgressText.job(copy(name, 1_234_567, 98_100_000, 0.634, 3), 80);
        assertThat(line).hasSizeLessThanOrEqualTo(80).startsWith("COPY   public.a_").contains("...")
                .contains("[12/16]").contains("1.2M rows").contains("93.6 MB").contains("63 %").endsWith("ETA 3s");
        assertThat(ProgressText.shorten(name, 20)).hasSize(20).startsWith("public.a").endsWith("16]");
        assertThat(ProgressText.shorten("short", 20)).isEqualTo("short");
        assertThat(ProgressText.shorten(name, 2)).isEqualTo("pu");
    }

    @Test
    void anIndexBuildShowsItsServerPhaseAndBlocks() {
        assertThat(ProgressText.job(index("public.orders_pkey", "building index: scanning table", 1234, 5678), 120))
                .isEqualTo("INDEX  public.orders_pkey              building index: scanning table  1234/5678 blocks"
                        + "  21 %  (1m15s)");
    }

    @Test
    void etasReadAsPeopleSayThem() {
        assertThat(ProgressText.duration(Duration.ofMillis(900))).isEqualTo("0s");
        assertThat(ProgressText.duration(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(ProgressText.duration(Duration.ofSeconds(184))).isEqualTo("3m04s");
        assertThat(ProgressText.duration(Duration.ofSeconds(3720))).isEqualTo("1h02m");
        assertThat(ProgressText.duration(Duration.ofHours(51))).isEqualTo("2d03h");
        assertThat(ProgressText.bytes(512)).isEqualTo("512 B");
        assertThat(ProgressText.bytes(12_595)).isEqualTo("12.3 kB");
        assertThat(ProgressText.bytes(1_300_000_000)).isEqualTo("1.21 GB");
        assertThat(ProgressText.count(999)).isEqualTo("999");
        assertThat(ProgressText.count(12_345)).isEqualTo("12.3k");
        assertThat(ProgressText.percent(0.999)).as("never 100 before the end").isEqualTo("99 %");
    }

    @Test
    void aFinishedRunIsAFullBarWithoutRateOrEta() {
        List<String> lines = ProgressText.lines(progress(3_000_000_000L, 3_000_000_000L, List.of()), 140, 16);
        assertThat(lines).containsExactly("[============================] 100.0 %  2.79 GB of 2.79 GB  tables 1/4"
                + "  indexes 2/12  constraints 1/4  vacuums 1/4  1m35s");
        assertThat(ProgressText.bar(0, 12)).isEqualTo("[>         ]");
        assertThat(ProgressText.bar(0.5, 12)).isEqualTo("[=====>    ]");
        assertThat(ProgressText.bar(1, 12)).isEqualTo("[==========]");
    }

    @Test
    void afterTheDataTheStepSaysWhatTheRunDoes() {
        CopyProgress p = progress(10, 10, List.of());
        CopyProgress later = new CopyProgress(p.taken(), Optional.of(Phase.FINALIZE_SCHEMA), p.elapsed(), 10, 10, 0,
                p.eta(), List.of(), p.tables(), p.indexes(), p.constraints(), p.vacuums());
        assertThat(ProgressText.overall(later, 160)).contains("100.0 %  10 B of 10 B  step 8: restore the post-data "
                + "section to the target database  tables 1/4");
    }

    @Test
    void aNarrowTerminalDropsTheCountsBeforeTheFigures() {
        String line = ProgressText.overall(progress(1_000_000_000L, 3_000_000_000L, List.of()), 79);
        assertThat(line).isEqualTo("[=====>           ]  33.3 %  954 MB of 2.79 GB  81.1 MB/s  ETA 21s  tables 1/4");
    }
}
