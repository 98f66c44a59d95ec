package io.pgcopydb.testkit.server;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs server commands as the right OS user. {@code initdb} refuses to run as root, so when the JVM is root the
 * server's commands go through {@code runuser -u postgres --}.
 */
final class OsUser {
    static final String SERVER_USER = "postgres";
    private static final boolean ROOT = detectRoot();

    private OsUser() {
    }

    static boolean isRoot() {
        return ROOT;
    }

    /** {@code command} as it must be run to execute as the server's OS user. */
    static List<String> asServerUser(List<String> command) {
        if (!ROOT) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", SERVER_USER, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean detectRoot() {
        try {
            Commands.Result r = Commands.run(List.of("id", "-u"), java.util.Map.of());
            return r.ok() && r.output().strip().equals("0");
        } catch (TestkitException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
