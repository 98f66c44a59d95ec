package io.pgcopydb.cli;

import java.util.List;

/**
 * Configures slf4j-simple, which reads its settings once, when the first logger is created: {@link #configure}
 * must run before anything asks {@code LoggerFactory} for a logger. Log lines go to standard error, so standard
 * output holds only the command's result (the summary tables).
 *
 * <p>Values already given as {@code -Dorg.slf4j.simpleLogger.*} system properties win, except that
 * {@code --debug} always turns on DEBUG.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {
    }

    /** Sets slf4j-simple's properties for a command-line run; {@code debug} logs at DEBUG, otherwise INFO. */
    static void configure(boolean debug) {
        setDefault("logFile", "System.err");
        setDefault("showDateTime", "true");
        setDefault("dateTimeFormat", "HH:mm:ss.SSS");
        setDefault("showThreadName", "true");
        setDefault("showLogName", "false");
        setDefault("showShortLogName", "true");
        setDefault("levelInBrackets", "false");
        // The command prints the summary tables on standard output itself; the library's copy would repeat them.
        setDefault("log.io.pgcopydb.summary", "warn");
        // The command shows progress itself (--progress): the library's periodic line would repeat it.
        setDefault("log.io.pgcopydb.progress", "warn");
        if (debug) {
            System.setProperty(PREFIX + "defaultLogLevel", "debug");
        } else {
            setDefault("defaultLogLevel", "info");
        }
    }

    /**
     * Whether {@code args} ask for {@code --debug}. Read before picocli parses them, because the log level must
     * be fixed before any logger exists; arguments after {@code --} are not options.
     */
    static boolean debugRequested(List<String> args) {
        for (String arg : args) {
            if ("--".equals(arg)) {
                return false;
            }
            if ("--debug".equals(arg)) {
                return true;
            }
        }
        return false;
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
