package io.pgcopydb.cli;

import io.pgcopydb.CopyExecution;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Live progress on a terminal: the lines of {@link ProgressText} redrawn in place on standard error a few times a
 * second with ANSI cursor movement, and every log line printed above them (standard error is swapped, while the
 * display runs, for a stream that clears the drawing, writes the line and draws again: slf4j-simple looks up
 * {@code System.err} at each line). Closing it draws the last state once more and leaves it on the screen.
 * Thread-safe.
 */
final class TerminalProgress implements CancelOnShutdown.Follower {
    /** How often the drawing is refreshed. */
    static final long REDRAW_MILLIS = 250;
    /** How often the terminal's width is read again (it may be resized). */
    private static final long WIDTH_MILLIS = 2_000;
    private static final String CLEAR_LINE = "\033[K";
    private static final String CLEAR_BELOW = "\033[J";
    private static final String HIDE_CURSOR = "\033[?25l";
    private static final String SHOW_CURSOR = "\033[?25h";

    private final CopyExecution execution;
    private final PrintStream terminal;
    private final Charset charset;
    private final ScheduledExecutorService redraw;
    private int drawn;
    private int width;
    private long widthRead;
    private boolean closed;

    private TerminalProgress(CopyExecution execution) {
        this.execution = execution;
        this.terminal = System.err;
        this.charset = stderrCharset();
        this.width = columns().orElse(80);
        this.widthRead = System.nanoTime();
        this.redraw = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgcopydb-progress");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts drawing the progress of {@code execution} on standard error, which must be a terminal. */
    static TerminalProgress start(CopyExecution execution) {
        TerminalProgress display = new TerminalProgress(execution);
        System.setErr(new PrintStream(display.new Above(), true, display.charset));
        display.terminal.print(HIDE_CURSOR);
        display.redraw.scheduleWithFixedDelay(display::draw, 0, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
        return display;
    }

    private synchronized void draw() {
        if (closed) {
            return;
        }
        try {
            paint(ProgressText.lines(execution.progress(), currentWidth(), maxJobs()));
        } catch (RuntimeException e) {
            // Swallowed: a scheduled task that throws is never run again, and the copy matters more than its bar.
        }
    }

    private void paint(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        sb.append(home());
        for (int i = 0; i < lines.size(); i++) {
            sb.append(lines.get(i)).append(CLEAR_LINE).append(i < lines.size() - 1 ? "\n" : "");
        }
        sb.append(CLEAR_BELOW);
        terminal.print(sb);
        terminal.flush();
        drawn = lines.size();
    }

    /** Back to the start of the drawing's first line. */
    private String home() {
        return drawn <= 1 ? "\r" : "\r\033[" + (drawn - 1) + "A";
    }

    /** Writes {@code text} (whole lines) above the drawing, which is drawn again below it. */
    private synchronized void above(String text) {
        if (closed) {
            terminal.print(text);
            terminal.flush();
            return;
        }
        terminal.print(home() + CLEAR_BELOW + text);
        drawn = 0;
        draw();
    }

    /** Draws the last state, leaves it on the screen and gives standard error back. */
    @Override
    public void close() {
        redraw.shutdown();
        try {
            // Let a drawing under way end (interrupting it could cut an escape sequence short).
            redraw.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            draw();
            closed = true;
            terminal.print("\n" + SHOW_CURSOR);
            terminal.flush();
        }
        System.setErr(terminal);
    }

    private int currentWidth() {
        long now = System.nanoTime();
        if (now - widthRead > WIDTH_MILLIS * 1_000_000) {
            columns().ifPresent(w -> width = w);
            widthRead = now;
        }
        return width;
    }

    /** The encoding Java 17 gives standard error (PrintStream.charset() comes with 18). */
    private static Charset stderrCharset() {
        String name = System.getProperty("sun.stderr.encoding", System.getProperty("native.encoding"));
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    /** Job lines drawn at most: the rest is counted on one line. */
    private static int maxJobs() {
        return 16;
    }

    /** The terminal's width: {@code stty size} on {@code /dev/tty}, else {@code $COLUMNS}; empty when unknown. */
    static OptionalInt columns() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (InputStream in = p.getInputStream()) {
                String[] size = new String(in.readAllBytes(), Charset.defaultCharset()).trim().split("\\s+");
                if (p.waitFor() == 0 && size.length == 2) {
                    return OptionalInt.of(Integer.parseInt(size[1]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // No stty, or no terminal to ask: fall back.
        } catch (InterruptedException e) {
            // Stopping: the width read last stays.
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "")));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Standard error while the display runs: complete lines go {@link #above} the drawing. */
    private final class Above extends OutputStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            if (b == '\n') {
                flushLines();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    flushLines();
                    return;
                }
            }
        }

        private void flushLines() {
            byte[] bytes = pending.toByteArray();
            int last = bytes.length - 1;
            while (last >= 0 && bytes[last] != '\n') {
                last--;
            }
            if (last < 0) {
                return;
            }
            above(new String(bytes, 0, last + 1, charset));
            pending.reset();
            pending.write(bytes, last + 1, bytes.length - last - 1);
        }
    }
}
