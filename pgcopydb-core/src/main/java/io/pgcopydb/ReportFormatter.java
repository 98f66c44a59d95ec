package io.pgcopydb;

import io.pgcopydb.internal.Wiring;
import io.pgcopydb.model.CopyFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders {@link CopyReport} the way pgcopydb prints its summary, and as JSON. */
final class ReportFormatter {
    private static final String[] HEADERS = {"OID", "Schema", "Name", "Parts", "copy duration", "transmitted bytes",
        "indexes", "create index"};

    private ReportFormatter() {
    }

    /**
     * pgcopydb's table; with a {@code format} column when binary COPY was asked, and then one line per table kept
     * in text saying why.
     */
    static String tableSummary(CopyReport report) {
        boolean formats = report.tables().stream()
                .anyMatch(t -> t.copyFormat() == CopyFormat.BINARY || t.fallbackReason().isPresent());
        String[] headers = formats ? withFormat(HEADERS) : HEADERS;
        List<String[]> rows = new ArrayList<>();
        for (TableReport t : report.tables()) {
            String[] row = {Long.toString(t.oid()), t.name().schema(), t.name().name(),
                Integer.toString(t.parts()), duration(t.copyDuration()), bytes(t.bytes()),
                Integer.toString(t.indexes()), duration(t.indexDuration())};
            rows.add(formats ? withFormat(row, t.copyFormat().label()) : row);
        }
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (String[] r : rows) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, headers, widths);
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        sb.append('\n');
        rows.forEach(r -> appendRow(sb, r, widths));
        for (TableReport t : report.tables()) {
            t.fallbackReason().ifPresent(r -> sb.append("text, not binary: ").append(t.name()).append(": ")
                    .append(r).append('\n'));
        }
        return sb.toString();
    }

    /** {@code cells} with {@code format} (the headers' {@code format}) after the transmitted bytes. */
    private static String[] withFormat(String[] cells, String format) {
        String[] with = new String[cells.length + 1];
        System.arraycopy(cells, 0, with, 0, 6);
        with[6] = format;
        System.arraycopy(cells, 6, with, 7, cells.length - 6);
        return with;
    }

    private static String[] withFormat(String[] headers) {
        return withFormat(headers, "format");
    }

    static String stepSummary(CopyReport report) {
        StringBuilder sb = new StringBuilder();
        String format = "%50s   %10s  %10s  %10s  %12s%n";
        sb.append(String.format(Locale.ROOT, format, "Step", "Connection", "Duration", "Transfer", "Concurrency"));
        String dashes = String.format(Locale.ROOT, format, "-".repeat(50), "-".repeat(10), "-".repeat(10),
                "-".repeat(10), "-".repeat(12));
        sb.append(dashes);
        List<StepTiming> steps = report.steps();
        for (int i = 0; i < steps.size(); i++) {
            if (i == steps.size() - 1) {
                sb.append(dashes);
            }
            StepTiming s = steps.get(i);
            sb.append(String.format(Locale.ROOT, format, s.label(), s.connection(), duration(s.duration()),
                    s.bytes() > 0 ? bytes(s.bytes()) : "", Integer.toString(s.concurrency())));
        }
        return sb.append("Strategy: ").append(report.strategy()).append(System.lineSeparator()).toString();
    }

    static String json(CopyReport r) {
        StringBuilder sb = new StringBuilder("{");
        field(sb, "run_id", r.runId()).append(',');
        field(sb, "status", r.status().name()).append(',');
        field(sb, "started_at", r.startedAt().toString()).append(',');
        sb.append("\"duration_ms\":").append(r.duration().toMillis()).append(',');
        sb.append("\"sequences\":").append(r.sequences()).append(',');
        sb.append("\"large_objects\":").append(r.largeObjects()).append(',');
        sb.append("\"steps\":[");
        join(sb, r.steps(), (b, s) -> {
            b.append('{');
            field(b, "label", s.label()).append(',');
            field(b, "connection", s.connection()).append(',');
            b.append("\"duration_ms\":").append(s.duration().toMillis()).append(",\"bytes\":").append(s.bytes())
                    .append(",\"concurrency\":").append(s.concurrency()).append('}');
        });
        sb.append("],\"tables\":[");
        join(sb, r.tables(), (b, t) -> {
            b.append("{\"oid\":").append(t.oid()).append(',');
            field(b, "schema", t.name().schema()).append(',');
            field(b, "name", t.name().name()).append(',');
            field(b, "outcome", t.outcome().name()).append(',');
            b.append("\"parts\":").append(t.parts()).append(",\"rows\":").append(t.rows())
                    .append(",\"bytes\":").append(t.bytes()).append(",\"copy_ms\":").append(t.copyDuration().toMillis())
                    .append(",\"indexes\":").append(t.indexes()).append(",\"index_ms\":")
                    .append(t.indexDuration().toMillis()).append(",\"vacuum_ms\":")
                    .append(t.vacuumDuration().toMillis()).append(',');
            field(b, "copy_format", t.copyFormat().label()).append(',');
            field(b, "fallback_reason", t.fallbackReason().orElse("")).append('}');
        });
        sb.append("],\"objects\":[");
        join(sb, r.objects(), (b, o) -> {
            b.append('{');
            field(b, "kind", o.kind().name()).append(',');
            b.append("\"oid\":").append(o.oid()).append(',');
            field(b, "schema", o.name().schema()).append(',');
            field(b, "name", o.name().name()).append(',');
            field(b, "table", o.table().toString()).append(',');
            field(b, "outcome", o.outcome().name()).append(',');
            field(b, "sql", o.sql().orElse("")).append(',');
            b.append("\"duration_ms\":").append(o.duration().toMillis()).append('}');
        });
        sb.append("],\"failures\":[");
        join(sb, r.failures(), (b, f) -> {
            b.append('{');
            field(b, "phase", f.phase().name()).append(',');
            field(b, "object", f.object()).append(',');
            field(b, "sqlstate", f.sqlState().orElse("")).append(',');
            field(b, "message", f.message()).append('}');
        });
        sb.append("],\"retries\":[");
        join(sb, r.retries(), (b, t) -> {
            b.append('{');
            field(b, "phase", t.phase().name()).append(',');
            field(b, "object", t.object()).append(',');
            b.append("\"attempt\":").append(t.attempt()).append(',');
            field(b, "sqlstate", t.sqlState().orElse("")).append(',');
            field(b, "message", t.message()).append(',');
            b.append("\"delay_ms\":").append(t.delay().toMillis()).append('}');
        });
        sb.append("],\"warnings\":[");
        join(sb, r.warnings(), (b, w) -> b.append(quote(w)));
        sb.append(']');
        r.workDirectory().ifPresent(w -> field(sb.append(','), "work_directory", w.toString()));
        sb.append(",\"resumable\":").append(r.resumable());
        field(sb.append(",\"strategy\":{"), "name", r.strategy().strategy().name()).append(',');
        field(sb, "reason", r.strategy().reason());
        r.strategy().createdTarget().ifPresent(c -> field(sb.append(','), "created_target", c));
        sb.append('}');
        r.verification().ifPresent(v -> sb.append(",\"verification\":").append(v.toJson()));
        r.versions().ifPresent(v -> {
            field(sb.append(",\"versions\":{"), "source", v.source()).append(',');
            field(sb, "target", v.target()).append(',');
            field(sb, "client_tools", v.clientTools()).append(',');
            field(sb, "client_tools_directory", v.clientToolsDirectory().toString()).append('}');
        });
        return sb.append('}').toString();
    }

    /** pgcopydb's IntervalToString: {@code 846ms}, {@code 2s728}, {@code 12s}, {@code 3m04s}, {@code 1h02m}. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + "ms";
        } else if (ms < 10_000) {
            return String.format(Locale.ROOT, "%ds%03d", ms / 1000, ms % 1000);
        } else if (ms < 60_000) {
            return (ms / 1000) + "s";
        } else if (ms < 3_600_000) {
            return String.format(Locale.ROOT, "%dm%02ds", ms / 60_000, (ms / 1000) % 60);
        } else if (ms < 86_400_000) {
            return String.format(Locale.ROOT, "%dh%02dm", ms / 3_600_000, (ms / 60_000) % 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", ms / 86_400_000, (ms / 3_600_000) % 24);
    }

    /** pgcopydb's pretty_print_bytes: divide by 1024 while the value is at least 10240. */
    static String bytes(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        int unit = 0;
        long value = bytes;
        while (value >= 10_240 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return value + " " + units[unit];
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] widths) {
        for (int i = 0; i < cells.length; i++) {
            sb.append(i == 0 ? "" : " | ").append(" ".repeat(widths[i] - cells[i].length())).append(cells[i]);
        }
        sb.append('\n');
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        return sb.append('"').append(name).append("\":").append(quote(value));
    }

    static String quote(String s) {
        return Wiring.jsonString(s);
    }

    private interface Appender<T> {
        void append(StringBuilder sb, T value);
    }

    private static <T> void join(StringBuilder sb, List<T> items, Appender<T> appender) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            appender.append(sb, items.get(i));
        }
    }
}
