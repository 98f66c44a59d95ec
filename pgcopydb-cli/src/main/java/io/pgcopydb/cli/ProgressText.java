package io.pgcopydb.cli;

import io.pgcopydb.CopyProgress;
import io.pgcopydb.JobProgress;
import io.pgcopydb.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Draws a {@link CopyProgress} as terminal lines no wider than the terminal: one line per running job, then the
 * overall bar. Pure (no terminal here): {@link TerminalProgress} puts the lines on the screen.
 *
 * <pre>
 * COPY   public.pgbench_accounts [2/4]    1.2M rows   98.1 MB  45.3 MB/s  63 %  ETA 3s
 * INDEX  public.pgbench_accounts_pkey    building index: scanning table  1234/5678 blocks  22 %
 * [=========&gt;          ]  41.2 %  1.2 GB of 2.9 GB  85.0 MB/s  ETA 21s  tables 3/8  indexes 2/12 …
 * </pre>
 *
 * Widths are counted in characters: names in scripts drawn two columns wide may overflow a little.
 */
final class ProgressText {
    /** What a shortened name shows in place of what it leaves out. */
    static final String ELLIPSIS = "...";
    /** The narrowest terminal drawn for: narrower ones get their lines cut all the same. */
    static final int MIN_WIDTH = 20;
    private static final int KIND_WIDTH = 7;

    private ProgressText() {
    }

    /**
     * The lines of {@code p} for a terminal {@code width} columns wide: at most {@code maxJobs} job lines (then one
     * saying how many more), then the overall line. Each is shorter than {@code width}, so that none wraps.
     */
    static List<String> lines(CopyProgress p, int width, int maxJobs) {
        int w = Math.max(MIN_WIDTH, width) - 1;
        List<String> lines = new ArrayList<>();
        List<JobProgress> jobs = p.jobs();
        for (int i = 0; i < jobs.size() && i < maxJobs; i++) {
            lines.add(job(jobs.get(i), w));
        }
        if (jobs.size() > maxJobs) {
            lines.add(cut("       and " + (jobs.size() - maxJobs) + " more jobs", w));
        }
        lines.add(overall(p, w));
        return lines;
    }

    /** One job: its kind, its name (shortened in the middle when needed), then what is known of how far it is. */
    static String job(JobProgress j, int width) {
        String kind = switch (j.kind()) {
            case COPY -> "COPY";
            case INDEX -> "INDEX";
            case CONSTRAINT -> "ADD";
            case VACUUM -> j.server().map(JobProgress.ServerPhase::command).orElse("VACUUM");
        };
        StringBuilder details = new StringBuilder();
        if (j.kind() == JobProgress.Kind.COPY) {
            details.append(count(j.rows())).append(" rows  ").append(bytes(j.bytes())).append("  ")
                    .append(bytes((long) j.bytesPerSecond())).append("/s");
        } else {
            j.server().ifPresent(s -> {
                details.append(s.phase());
                if (s.total() > 0) {
                    details.append("  ").append(s.done()).append('/').append(s.total()).append(' ').append(s.unit());
                }
            });
        }
        j.fraction().ifPresent(f -> details.append(details.length() == 0 ? "" : "  ").append(percent(f)));
        // The ETA when one is known, else how long the job has run, in parentheses to tell the two apart.
        details.append(details.length() == 0 ? "" : "  ").append(j.eta().map(d -> "ETA " + duration(d))
                .orElse("(" + duration(j.elapsed()) + ")"));
        String head = pad(kind, KIND_WIDTH);
        int nameWidth = Math.max(12, width - head.length() - 2 - details.length());
        String name = shorten(j.name(), nameWidth);
        String column = name + " ".repeat(Math.max(0, Math.min(nameWidth, 30) - name.length()));
        return cut(head + column + "  " + details, width);
    }

    /** The overall line: a bar of the data, then rate, ETA and the counts, as many as fit. */
    static String overall(CopyProgress p, int width) {
        if (!p.planned()) {
            return cut(p.line() + "  " + duration(p.elapsed()), width);
        }
        double f = p.fraction();
        int barWidth = Math.max(10, Math.min(30, width / 4));
        StringBuilder sb = new StringBuilder(bar(f, barWidth)).append(' ')
                .append(String.format(Locale.ROOT, "%5.1f %%", 100 * f)).append("  ").append(bytes(p.bytesDone()))
                .append(" of ").append(bytes(p.bytesTotal()));
        List<String> more = new ArrayList<>();
        // Once the data is in, the steps after it (post-data can take long) say what the run is doing.
        p.phase().filter(ph -> ph != Phase.COPY_DATA && p.bytesDone() >= p.bytesTotal())
                .ifPresent(ph -> more.add("step " + ph.number() + ": " + ph.description()));
        if (p.bytesDone() < p.bytesTotal()) {
            more.add(bytes((long) p.bytesPerSecond()) + "/s");
            more.add("ETA " + p.eta().map(ProgressText::duration).orElse("?"));
        }
        more.add("tables " + p.tables());
        more.add("indexes " + p.indexes());
        more.add("constraints " + p.constraints());
        more.add("vacuums " + p.vacuums());
        more.add(duration(p.elapsed()));
        for (String m : more) {
            if (sb.length() + 2 + m.length() > width) {
                break;
            }
            sb.append("  ").append(m);
        }
        return cut(sb.toString(), width);
    }

    /** {@code [=====>    ]}, {@code width} characters in all. */
    static String bar(double fraction, int width) {
        int inside = width - 2;
        double f = Math.max(0, Math.min(1, fraction));
        int full = (int) Math.floor(f * inside);
        StringBuilder sb = new StringBuilder("[");
        sb.append("=".repeat(full));
        if (full < inside) {
            sb.append('>').append(" ".repeat(inside - full - 1));
        }
        return sb.append(']').toString();
    }

    /** {@code name} in at most {@code width} characters: its start and its end, the middle left out. */
    static String shorten(String name, int width) {
        if (name.length() <= width) {
            return name;
        }
        if (width <= ELLIPSIS.length()) {
            return name.substring(0, Math.max(0, width));
        }
        int keep = width - ELLIPSIS.length();
        int tail = keep / 2;
        return name.substring(0, keep - tail) + ELLIPSIS + name.substring(name.length() - tail);
    }

    /** {@code s} cut to {@code width} characters. */
    static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, Math.max(0, width));
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    /** {@code 63 %}: never 100 before the job ended. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", Math.floor(100 * Math.max(0, Math.min(1, fraction))));
    }

    /** A duration as people read an ETA: {@code 9s}, {@code 3m04s}, {@code 1h02m}, {@code 2d03h}. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        } else if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        } else if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s / 60) % 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, (s / 3600) % 24);
    }

    /** Bytes in three significant figures: {@code 512 B}, {@code 12.3 kB}, {@code 456 MB}, {@code 1.21 GB}. */
    static String bytes(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        double v = Math.max(0, bytes);
        int unit = 0;
        while (v >= 1000 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        if (unit == 0) {
            return (long) v + " B";
        }
        String digits = v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10
                ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return digits + " " + units[unit];
    }

    /** A count in at most five characters: {@code 999}, {@code 12.3k}, {@code 1.2M}. */
    static String count(long n) {
        if (n < 1000) {
            return Long.toString(Math.max(0, n));
        }
        String[] units = {"k", "M", "G", "T", "P", "E"};
        double v = n;
        int unit = -1;
        while (v >= 999.5 && unit < units.length - 1) {
            v /= 1000;
            unit++;
        }
        return (v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v))
                + units[unit];
    }

    /** The line a plain (not a terminal) run logs every interval. */
    static Optional<String> plainLine(CopyProgress p) {
        return p.planned() ? Optional.of(p.line()) : Optional.empty();
    }
}
