package io.pgcopydb.cli;

import io.pgcopydb.CopyBuilder;
import io.pgcopydb.CopyExecution;
import io.pgcopydb.CopyReport;
import io.pgcopydb.PgCopyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --progress} and {@code --progress-interval}, shared by the commands that copy: how a running copy shows
 * how far it is. On a terminal, live lines redrawn in place ({@link TerminalProgress}); elsewhere a plain log line
 * every interval ({@link PlainProgress}); or nothing. Either way the figures are the library's
 * {@link CopyExecution#progress()}, and the library's own periodic progress log line is muted (see
 * {@link Logging}). When the copy ends, well or not, its report is kept as {@code summary.json} in the work
 * directory ({@link SummaryFile}).
 */
public final class ProgressOptions {

    /** How progress is shown. */
    public enum Mode {
        /** {@code tty} when standard error is a terminal, else {@code plain}. */
        AUTO,
        /** Live lines redrawn in place (ANSI escape codes), whatever standard error is. */
        TTY,
        /** A log line every {@code --progress-interval}. */
        PLAIN,
        /** No progress output. */
        NONE
    }

    @Option(names = "--progress", paramLabel = "MODE", order = 30,
            description = "How to show progress: auto (live lines on a terminal, else plain; the default), tty, "
                    + "plain (a log line every --progress-interval) or none.")
    private String mode = "auto";

    @Option(names = "--progress-interval", paramLabel = "SECONDS", order = 31,
            description = "Seconds between plain progress lines (default 10).")
    private int interval = 10;

    /**
     * Runs {@code copy} (cancelled on Ctrl-C, as {@link CancelOnShutdown#run} does) showing its progress as asked.
     *
     * @param copy the configured copy
     * @return the report of a successful copy
     * @throws io.pgcopydb.PgCopyException when the copy failed or was cancelled
     */
    public CopyReport run(CopyBuilder copy) {
        Mode m = mode();
        if (interval < 1) {
            throw new UsageException("--progress-interval must be >= 1, was " + interval);
        }
        CopyReport report;
        try {
            report = CancelOnShutdown.run(copy, execution -> switch (m) {
                case TTY -> TerminalProgress.start(execution);
                case PLAIN -> PlainProgress.start(execution, Duration.ofSeconds(interval));
                case NONE -> () -> { };
                case AUTO -> throw new IllegalStateException("resolved above");
            });
        } catch (PgCopyException e) {
            e.partialReport().ifPresent(SummaryFile::write);
            throw e;
        }
        SummaryFile.write(report);
        return report;
    }

    /**
     * The mode asked for, {@code auto} resolved: none under {@code --quiet} (no INFO lines), plain lines when the log
     * is JSON (a drawing would not be), else by whether standard error is a terminal.
     */
    Mode mode() {
        Mode m;
        try {
            m = Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--progress must be auto, tty, plain or none, was " + mode);
        }
        if (m == Mode.AUTO) {
            Logging.Settings logging = Logging.current();
            if (logging.level().compareTo(Logging.Level.INFO) < 0) {
                return Mode.NONE;
            }
            return !logging.json() && stderrIsTerminal() ? Mode.TTY : Mode.PLAIN;
        }
        return m;
    }

    /**
     * Whether standard error is a terminal that understands cursor movement. {@code System.console()} asks about
     * standard input and output, not error (output is often redirected to keep the summary while error shows the
     * progress), so on Linux the descriptor itself is looked at.
     */
    static boolean stderrIsTerminal() {
        String term = System.getenv("TERM");
        if (term == null || term.isEmpty() || term.equals("dumb")) {
            return false;
        }
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.exists(fd)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (java.io.IOException | UnsupportedOperationException e) {
                return System.console() != null;
            }
        }
        return System.console() != null;
    }
}
