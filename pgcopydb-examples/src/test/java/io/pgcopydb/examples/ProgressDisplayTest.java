package io.pgcopydb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.PlannedCopy;
import io.pgcopydb.SkipReason;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class ProgressDisplayTest {

    /** Whatever the order and the progress reported on the way, the display ends at exactly 100 % and never above. */
    @Property(tries = 200)
    void endsAtOneHundredPercentAndNeverAbove(@ForAll @Size(min = 1, max = 12) List<@LongRange(min = 0, max = 1L
            << 40) Long> sizes, @ForAll @IntRange(min = 1, max = 8) int splitOfFirst, @ForAll long seed,
            @ForAll boolean firstWasCopiedBefore) {
        List<TablePart> parts = new ArrayList<>();
        for (int t = 0; t < sizes.size(); t++) {
            SourceTable table = new SourceTable(16384 + t, new QualifiedName("public", "t" + t), sizes.get(t), -1,
                    List.of("id"), false);
            int count = t == 0 ? splitOfFirst : 1;
            for (int n = 1; n <= count; n++) {
                parts.add(count == 1 ? TablePart.whole(table)
                        : new TablePart(table, n, count, Optional.of("id % " + count + " = " + (n - 1))));
            }
        }
        PlannedCopy plan = new PlannedCopy(parts, List.of(), List.of(), List.of(), List.of(), 0, 0, List.of());
        AtomicLong now = new AtomicLong();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressDisplay display = new ProgressDisplay(new PrintStream(out, true, StandardCharsets.UTF_8),
                () -> now.addAndGet(2_000_000_000L));
        Random random = new Random(seed);
        List<TablePart> order = new ArrayList<>(parts);
        Collections.shuffle(order, random);

        display.copyPlanned(plan);
        for (TablePart p : order) {
            if (firstWasCopiedBefore && p.table().oid() == 16384) {
                display.tableCopySkipped(p, SkipReason.ALREADY_DONE);
                continue;
            }
            display.tableCopyStarted(p);
            for (int i = random.nextInt(4); i > 0; i--) {
                display.tableCopyProgress(p, i, Math.abs(random.nextLong() % (2 * Math.max(1, p.bytes()) + 1)));
                assertThat(display.percent()).isBetween(0.0, 100.0);
            }
            display.tableCopyFinished(p, 1, p.bytes(), Duration.ofMillis(1));
            assertThat(display.percent()).isBetween(0.0, 100.0);
        }

        assertThat(display.percent()).isEqualTo(100.0);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(lines.size() - 1)).contains("100.0 %").contains("ETA done");
    }
}
