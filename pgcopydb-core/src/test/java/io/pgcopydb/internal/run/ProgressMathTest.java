package io.pgcopydb.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the progress snapshot: a running part's estimate, rates, ETAs and the rate window. */
class ProgressMathTest {

    private static TablePart part(long bytes, long estimatedRows, int number, int count) {
        SourceTable t = new SourceTable(1, new QualifiedName("public", "t"), bytes, estimatedRows, List.of("a"), false);
        return count == 1 ? TablePart.whole(t) : new TablePart(t, number, count, Optional.of("a < 1"));
    }

    @Property
    void aRunningPartIsNeverDoneAndNeverGoesBackwards(@ForAll @LongRange(min = 0, max = 1L << 40) long size,
            @ForAll @LongRange(min = -1, max = 1L << 30) long estimatedRows, @ForAll @IntRange(min = 1, max = 16) int count,
            @ForAll @LongRange(min = 0, max = 1L << 40) long bytes, @ForAll @LongRange(min = 0, max = 1L << 40) long more,
            @ForAll @DoubleRange(min = 0.01, max = 100) double ratio) {
        TablePart p = part(size, estimatedRows, count, count);
        double before = ProgressMath.partFraction(p, bytes / 100, bytes, ratio);
        double after = ProgressMath.partFraction(p, (bytes + more) / 100, bytes + more, ratio);
        assertThat(before).isBetween(0.0, ProgressMath.RUNNING_CAP);
        assertThat(after).as("more rows and bytes never show less").isGreaterThanOrEqualTo(before)
                .isLessThanOrEqualTo(ProgressMath.RUNNING_CAP);
    }

    @Test
    void rowsSayHowFarWhenTheTableWasAnalyzedElseTheBytesConvertedByWhatFinishedPartsMeasured() {
        TablePart analyzed = part(1_000_000, 10_000, 1, 2);
        assertThat(ProgressMath.partFraction(analyzed, 2_500, 999_999_999, 1.0)).as("5000 rows in this half")
                .isEqualTo(0.5);
        TablePart never = part(1_000_000, -1, 1, 1);
        assertThat(ProgressMath.partFraction(never, 0, 250_000, 2.0)).as("text twice as dense as pages")
                .isEqualTo(0.5);
        assertThat(ProgressMath.partFraction(never, 0, 10_000_000, 1.0)).isEqualTo(ProgressMath.RUNNING_CAP);
        assertThat(ProgressMath.partFraction(part(0, 0, 1, 1), 5, 5, 1.0)).as("an empty table").isZero();
    }

    @Property
    void anEtaIsTheRemainderAtTheRate(@ForAll @DoubleRange(min = 1, max = 1e12) double remaining,
            @ForAll @DoubleRange(min = 1, max = 1e10) double perSecond) {
        Optional<Duration> eta = ProgressMath.eta(remaining, perSecond);
        if (remaining / perSecond > 366 * 86_400.0) {
            assertThat(eta).as("beyond a year says nothing").isEmpty();
        } else {
            assertThat(eta.orElseThrow().toNanos() / 1e9).isCloseTo(remaining / perSecond,
                    org.assertj.core.data.Offset.offset(1e-6 + remaining / perSecond * 1e-9));
        }
    }

    @Test
    void nothingLeftIsZeroAndNoRateIsUnknown() {
        assertThat(ProgressMath.eta(0, 0)).contains(Duration.ZERO);
        assertThat(ProgressMath.eta(-5, 3)).contains(Duration.ZERO);
        assertThat(ProgressMath.eta(10, 0)).isEmpty();
        assertThat(ProgressMath.eta(10, Double.NaN)).isEmpty();
        assertThat(ProgressMath.eta(OptionalDouble.empty(), Duration.ofSeconds(3))).isEmpty();
        assertThat(ProgressMath.eta(OptionalDouble.of(0), Duration.ofSeconds(3))).isEmpty();
        assertThat(ProgressMath.eta(OptionalDouble.of(0.25), Duration.ofSeconds(10))).contains(Duration.ofSeconds(30));
        assertThat(ProgressMath.perSecond(100, Duration.ZERO)).isZero();
        assertThat(ProgressMath.perSecond(100, Duration.ofSeconds(4))).isEqualTo(25);
    }

    @Property
    void theWindowRateOfASteadyCopyIsItsSpeed(@ForAll @LongRange(min = 1, max = 1L << 32) long perSecond,
            @ForAll @IntRange(min = 2, max = 200) int seconds) {
        RateWindow window = new RateWindow();
        double rate = 0;
        for (int s = 0; s <= seconds; s++) {
            rate = window.sample(s * 1_000_000_000L, s * perSecond, -1);
        }
        assertThat(rate).isCloseTo(perSecond, org.assertj.core.data.Offset.offset(perSecond * 1e-9));
    }

    @Test
    void theWindowForgetsAnOldSpeedAndFallsBackUntilItSpansASecond() {
        RateWindow window = new RateWindow();
        assertThat(window.sample(0, 0, 7)).as("one sample: the fallback").isEqualTo(7);
        long total = 0;
        long t = 0;
        for (; t < 30; t++) {
            total += 1_000;
            window.sample(t * 1_000_000_000L, total, 7);
        }
        for (; t < 60; t++) {
            total += 10;
            window.sample(t * 1_000_000_000L, total, 7);
        }
        assertThat(window.sample(t * 1_000_000_000L, total + 10, 7)).as("only the last 20 s count")
                .isCloseTo(10, org.assertj.core.data.Offset.offset(0.01));
    }
}
