package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.model.QualifiedName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportFormatterTest {

    @Test
    void durationsLookLikePgcopydbs() {
        assertThat(ReportFormatter.duration(Duration.ofMillis(846))).isEqualTo("846ms");
        assertThat(ReportFormatter.duration(Duration.ofMillis(2728))).isEqualTo("2s728");
        assertThat(ReportFormatter.duration(Duration.ofSeconds(12))).isEqualTo("12s");
        assertThat(ReportFormatter.duration(Duration.ofSeconds(184))).isEqualTo("3m04s");
        assertThat(ReportFormatter.duration(Duration.ofMinutes(62))).isEqualTo("1h02m");
    }

    @Test
    void bytesLookLikePgcopydbs() {
        assertThat(ReportFormatter.bytes(5)).isEqualTo("5 B");
        assertThat(ReportFormatter.bytes(10_239)).isEqualTo("10239 B");
        assertThat(ReportFormatter.bytes(9_837 * 1024L)).isEqualTo("9837 kB");
        assertThat(ReportFormatter.bytes(128L << 20)).isEqualTo("128 MB");
    }

    @Test
    void summaryTableAlignsColumnsAndJsonEscapes() {
        TableReport t = new TableReport(16387, new QualifiedName("public", "a \"quoted\"\tname"), 1, Outcome.DONE,
                10, 10_072_000, Duration.ofMillis(846), 2, Duration.ofMillis(210), Duration.ofMillis(5));
        CopyReport r = new CopyReport("abc", CopyReport.Status.SUCCEEDED, Instant.EPOCH, Duration.ofSeconds(1),
                List.of(t), List.of(), List.of(new StepTiming("Total Wall Clock Duration", "both",
                        Duration.ofMillis(961), 0, 18)), 0, 0, List.of());

        List<String> lines = r.summaryTable().lines().toList();
        assertThat(lines.get(0)).startsWith("  OID | Schema |");
        assertThat(lines.get(1)).matches("[-+]+");
        assertThat(lines.get(2)).contains("16387 | public |").contains("846ms").contains("9835 kB");
        assertThat(lines.get(0)).hasSameSizeAs(lines.get(2));
        assertThat(lines.get(0)).as("no format column when binary was not asked").doesNotContain("format");
        assertThat(lines).hasSize(3);
        assertThat(r.stepTable()).contains("Total Wall Clock Duration").contains("961ms");
        assertThat(r.toJson()).contains("\"name\":\"a \\\"quoted\\\"\\tname\"").startsWith("{").endsWith("}");
    }

    @Test
    void withBinaryAskedTheFormatIsAColumnAndATableKeptInTextSaysWhy() {
        TableReport binary = new TableReport(16390, new QualifiedName("public", "actor"), 1, Outcome.DONE, 200,
                9_000, Duration.ofMillis(12), 1, Duration.ofMillis(3), Duration.ZERO, CopyFormat.BINARY,
                Optional.empty());
        String why = "column feelings (mood[]): an array of public.mood, which is not built in";
        TableReport text = new TableReport(16391, new QualifiedName("public", "typed_values"), 1, Outcome.DONE, 24,
                5_000, Duration.ofMillis(20), 1, Duration.ofMillis(4), Duration.ZERO, CopyFormat.TEXT, Optional.of(why));
        CopyReport r = new CopyReport("abc", CopyReport.Status.SUCCEEDED, Instant.EPOCH, Duration.ofSeconds(1),
                List.of(binary, text), List.of(), List.of(), 0, 0, List.of());

        List<String> lines = r.summaryTable().lines().toList();

        assertThat(lines.get(0)).contains("| transmitted bytes | format | indexes |");
        assertThat(lines.get(2)).contains("| binary |").hasSameSizeAs(lines.get(0));
        assertThat(lines.get(3)).contains("|   text |");
        assertThat(lines.get(4)).isEqualTo("text, not binary: public.typed_values: " + why);
        assertThat(lines).hasSize(5);
        assertThat(r.toJson()).contains("\"copy_format\":\"binary\",\"fallback_reason\":\"\"}")
                .contains("\"copy_format\":\"text\",\"fallback_reason\":\"" + why + "\"}");
        assertThat(new TableReport(1, new QualifiedName("s", "t"), 1, Outcome.DONE, 0, 0, Duration.ZERO, 0,
                Duration.ZERO, Duration.ZERO)).as("the constructor without a format")
                .extracting(TableReport::copyFormat, TableReport::fallbackReason)
                .containsExactly(CopyFormat.TEXT, Optional.empty());
    }

    @Test
    void theVersionsAreAValueOfTheReportInTextAndJson() {
        Versions v = new Versions("12.22", "17.5", "15.18", java.nio.file.Path.of("/usr/lib/postgresql/15/bin"));
        CopyReport r = new CopyReport("abc", CopyReport.Status.SUCCEEDED, Instant.EPOCH, Duration.ofSeconds(1),
                List.of(), List.of(), List.of(), 0, 0, List.of(), List.of(), List.of(), java.util.Optional.empty(),
                false, java.util.Optional.empty(), java.util.Optional.of(v));

        assertThat(r.versionsLine()).isEqualTo("source PostgreSQL 12.22 → target PostgreSQL 17.5, "
                + "pg_dump/pg_restore 15.18 (/usr/lib/postgresql/15/bin)");
        assertThat(r.toJson()).endsWith(",\"versions\":{\"source\":\"12.22\",\"target\":\"17.5\","
                + "\"client_tools\":\"15.18\",\"client_tools_directory\":\"/usr/lib/postgresql/15/bin\"}}");
        assertThat(v.sourceMajor()).isEqualTo(12);
        assertThat(v.targetMajor()).isEqualTo(17);
        assertThat(v.downgrade()).isFalse();
        assertThat(new Versions("15.4", "12.22", "15.4", java.nio.file.Path.of("/b")).downgrade()).isTrue();
        assertThat(new CopyReport("abc", CopyReport.Status.FAILED, Instant.EPOCH, Duration.ZERO, List.of(),
                List.of(), List.of(), 0, 0, List.of()).versionsLine()).as("before preflight found them").isEmpty();
    }
}
