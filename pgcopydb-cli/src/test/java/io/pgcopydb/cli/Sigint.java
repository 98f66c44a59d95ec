package io.pgcopydb.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a SIGINT sent to a child process started by a test reaches the child's JVM. Not when this process ignores
 * SIGINT, as a shell leaves it for a command it starts in the background without job control ({@code cmd &} in a
 * script, {@code nohup}): children inherit the ignored signal, and a JVM that starts with SIGINT ignored installs no
 * handler for it, so Ctrl-C cannot be tested there and the test would fail for a reason that is not the code's.
 */
final class Sigint {
    private static final long SIGINT_BIT = 1L << (2 - 1);

    private Sigint() {
    }

    /** Skips the calling test, saying why, when this process ignores SIGINT (read from {@code /proc/self/status}). */
    static void assumeDelivered() throws IOException {
        assumeTrue(!ignored(Path.of("/proc/self/status")), "SIGINT is ignored by this process, and so by the children "
                + "it starts (the build was started in the background without job control, or under nohup): "
                + "Ctrl-C cannot be tested here; run the build in the foreground");
    }

    /** Whether the {@code SigIgn} mask of {@code status} (a {@code /proc/PID/status} file) has SIGINT; else false. */
    static boolean ignored(Path status) throws IOException {
        if (!Files.isReadable(status)) {
            return false;
        }
        Optional<String> mask = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                .map(l -> l.substring("SigIgn:".length()).strip()).findFirst();
        return mask.isPresent() && (Long.parseUnsignedLong(mask.get(), 16) & SIGINT_BIT) != 0;
    }
}
