package io.pgcopydb.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Configures slf4j-simple, which reads its settings once, when the first logger is created: {@link #configure}
 * must run before anything asks {@code LoggerFactory} for a logger, so the level is read from the raw arguments and
 * the environment, before picocli parses them. Log lines go to standard error, so standard output holds only the
 * command's result (the summary tables, or JSON).
 *
 * <p>Levels, as pgcopydb names them: {@code --quiet} (warnings and errors), the default {@code info} (steps,
 * per-table completion), {@code --verbose}/{@code --notice} (also each statement the copy runs on the target:
 * COPY, CREATE INDEX, ALTER TABLE, VACUUM — the library's DEBUG lines of its data and schema steps), {@code --debug}
 * (DEBUG everywhere, and stack traces of failures). The flag given last wins, then {@value #LEVEL_VARIABLE}, then
 * {@code info}. With {@value #JSON_VARIABLE} true each line is one JSON object ({@link JsonLogProvider}).
 *
 * <p>Values already given as {@code -Dorg.slf4j.simpleLogger.*} system properties win, except that a level other
 * than info, asked by a flag or the variable, always sets the default level.
 */
final class Logging {
    /** The log level's variable: {@code error}, {@code warn}, {@code info}, {@code notice} or {@code debug}. */
    static final String LEVEL_VARIABLE = "PGCOPYDB_LOG_LEVEL";
    /** Log lines as JSON when true. */
    static final String JSON_VARIABLE = "PGCOPYDB_LOG_JSON";

    private static final String PREFIX = "org.slf4j.simpleLogger.";
    /** The loggers whose DEBUG lines are pgcopydb's NOTICE: what the copy does to each object. */
    private static final List<String> NOTICE_LOGGERS = List.of("io.pgcopydb.internal.data",
            "io.pgcopydb.internal.schema");

    private static volatile Settings current = new Settings(Level.INFO, false);

    /** The levels, least verbose first. */
    enum Level {
        /** Errors only ({@code PGCOPYDB_LOG_LEVEL=error}). */
        ERROR,
        /** Warnings and errors ({@code --quiet}). */
        WARN,
        /** The default. */
        INFO,
        /** Also each statement run on the target ({@code --verbose}, {@code --notice}). */
        NOTICE,
        /** Everything ({@code --debug}). */
        DEBUG
    }

    /** How this run logs. */
    record Settings(Level level, boolean json) {
    }

    private Logging() {
    }

    /** The settings of this process, as {@link #configure} set them (INFO, text, until then). */
    static Settings current() {
        return current;
    }

    /**
     * What {@code args} and {@code env} ask for: the last level flag, else {@value #LEVEL_VARIABLE}, else info;
     * JSON when {@value #JSON_VARIABLE} says true. Arguments after {@code --} are not options. An invalid variable
     * counts as unset here; {@link #problem} says what is wrong with it.
     */
    static Settings settings(List<String> args, Map<String, String> env) {
        Level level = null;
        for (String arg : args) {
            if ("--".equals(arg)) {
                break;
            }
            Level flag = switch (arg) {
                case "--debug" -> Level.DEBUG;
                case "--verbose", "--notice" -> Level.NOTICE;
                case "--quiet" -> Level.WARN;
                default -> null;
            };
            level = flag == null ? level : flag;
        }
        if (level == null) {
            level = variable(env, LEVEL_VARIABLE).flatMap(Logging::level).orElse(Level.INFO);
        }
        boolean json = variable(env, JSON_VARIABLE).flatMap(EnvironmentDefaults::bool).orElse(false);
        return new Settings(level, json);
    }

    /**
     * What is wrong with the logging variables of {@code env}, as one line naming the variable and the fix.
     *
     * @return the problem, empty when both are unset or valid
     */
    static Optional<String> problem(Map<String, String> env) {
        Optional<String> level = variable(env, LEVEL_VARIABLE);
        if (level.isPresent() && level.flatMap(Logging::level).isEmpty()) {
            return Optional.of(LEVEL_VARIABLE + " must be error, warn, info, notice or debug, was '"
                    + level.get().strip() + "': fix or unset it");
        }
        Optional<String> json = variable(env, JSON_VARIABLE);
        if (json.isPresent() && json.flatMap(EnvironmentDefaults::bool).isEmpty()) {
            return Optional.of(JSON_VARIABLE + " must be true or false (or yes/no, on/off, 1/0), was '"
                    + json.get().strip() + "': fix or unset it");
        }
        return Optional.empty();
    }

    private static Optional<String> variable(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    private static Optional<Level> level(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "error" -> Optional.of(Level.ERROR);
            case "warn", "warning" -> Optional.of(Level.WARN);
            case "info" -> Optional.of(Level.INFO);
            case "notice", "verbose" -> Optional.of(Level.NOTICE);
            case "debug" -> Optional.of(Level.DEBUG);
            default -> Optional.empty();
        };
    }

    /** Sets slf4j-simple's properties (and, for JSON, the provider) for a command-line run. */
    static void configure(Settings settings) {
        current = settings;
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
        String level = switch (settings.level()) {
            case ERROR -> "error";
            case WARN -> "warn";
            case INFO, NOTICE -> "info";
            case DEBUG -> "debug";
        };
        if (settings.level() == Level.INFO) {
            setDefault("defaultLogLevel", level);
        } else {
            System.setProperty(PREFIX + "defaultLogLevel", level);
        }
        if (settings.level() == Level.NOTICE) {
            NOTICE_LOGGERS.forEach(logger -> setDefault("log." + logger, "debug"));
        }
        if (settings.json()) {
            // SLF4J loads the named provider instead of looking for one (and then says so, unless told to be quiet).
            System.setProperty("slf4j.provider", JsonLogProvider.class.getName());
            setIfAbsent("slf4j.internal.verbosity", "WARN");
        }
    }

    private static void setDefault(String key, String value) {
        setIfAbsent(PREFIX + key, value);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
