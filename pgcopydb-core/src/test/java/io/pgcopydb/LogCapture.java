package io.pgcopydb;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what the test logger printed: slf4j-simple writes to whatever System.err is at each log call. */
final class LogCapture {
    private LogCapture() {
    }

    /** What a body returned, and what was printed while it ran. */
    record Captured<T>(T value, String log) {
    }

    /** Runs {@code body} as {@link #capture(Runnable)} does, and keeps what it returned. */
    static <T> Captured<T> captureResult(java.util.function.Supplier<T> body) {
        java.util.List<T> value = new java.util.ArrayList<>(1);
        String log = capture(() -> {
            value.add(body.get());
        });
        return new Captured<>(value.get(0), log);
    }

    /** Runs {@code body}, still echoing to the real standard error, and returns what was printed meanwhile. */
    static String capture(Runnable body) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                captured.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                captured.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.err.flush();
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
