package io.pgcopydb.internal.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pg_dump / pg_restore as child processes: the connection (password included) goes through the
 * environment, never the arguments; output goes to a log file in the work directory; children still running
 * when the run is cancelled are killed.
 */
public final class ToolRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ToolRunner.class);
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    /** Output of a finished tool. */
    public record Outcome(int exitCode, String output) {
    }

    public Outcome run(List<String> command, Map<String, String> env, Path logFile) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        // Our variables replace any inherited PG* connection settings, so the tool connects where we do.
        pb.environment().keySet().removeIf(k -> k.startsWith("PG") && !k.equals("PGPASSFILE")
                && !k.equals("PGSYSCONFDIR") && !k.equals("PGSERVICEFILE"));
        pb.environment().putAll(env);
        LOG.debug("running {}", String.join(" ", command));
        Process p = pb.start();
        running.add(p);
        try {
            p.getOutputStream().close();
            int code = p.waitFor();
            return new Outcome(code, Files.readString(logFile, StandardCharsets.UTF_8));
        } finally {
            running.remove(p);
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** Kills every child still running; used on cancellation. */
    public void killAll() {
        for (Process p : new ArrayList<>(running)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** The last lines of a tool's output, for an error message. */
    public static String tail(String output, int lines) {
        List<String> all = output.strip().lines().toList();
        return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
