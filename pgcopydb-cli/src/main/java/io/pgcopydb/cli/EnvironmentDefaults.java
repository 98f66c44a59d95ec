package io.pgcopydb.cli;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Every option of every command from its environment variable, as pgcopydb reads them: {@code --table-jobs} from
 * {@code PGCOPYDB_TABLE_JOBS}, and so on by one rule ({@code --some-option} → {@code PGCOPYDB_SOME_OPTION}) with
 * pgcopydb's few exceptions ({@link #variable(OptionSpec)}). A flag on the command line wins over its variable,
 * which wins over the option's default. Options added to any command get their variable without more work; only
 * help, version, hidden aliases and {@link CommandLineOnly} options are left out.
 *
 * <p>How: a value option's variable is its picocli default value ({@link #defaultValue}), so picocli converts it and
 * {@code --help} shows it as the default. A flag (a boolean option without a value) is switched on after parsing
 * ({@link #applyFlags}), because picocli inverts a flag whose default is {@code true} when it is given, which would
 * turn {@code PGCOPYDB_SKIP_VACUUM=true ... --skip-vacuum} off. Flags read {@code true/false}, {@code yes/no},
 * {@code on/off}, {@code 1/0}. A variable that cannot be the option's value stops the command before it runs with
 * one line naming the variable and the fix ({@link #check}).
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
    /** Prefix of every variable. */
    static final String PREFIX = "PGCOPYDB_";
    /** pgcopydb's names that the rule does not give. */
    private static final Map<String, String> NAMES = Map.of(
            "--source", "PGCOPYDB_SOURCE_PGURI",
            "--target", "PGCOPYDB_TARGET_PGURI",
            "--skip-split-by-ctid", "PGCOPYDB_SKIP_CTID_SPLIT",
            "--no-tablespaces", "PGCOPYDB_SKIP_TABLESPACES",
            "--plugin", "PGCOPYDB_OUTPUT_PLUGIN");

    private final CliContext context;

    EnvironmentDefaults(CliContext context) {
        this.context = context;
    }

    /**
     * The variable an option is read from: pgcopydb's name, else {@code PGCOPYDB_} and the option's longest name in
     * capitals with {@code _} for {@code -}; empty for help, version, hidden aliases and {@link CommandLineOnly}.
     */
    static Optional<String> variable(OptionSpec option) {
        if (option.usageHelp() || option.versionHelp() || option.hidden() || commandLineOnly(option)) {
            return Optional.empty();
        }
        String name = option.longestName();
        if (!name.startsWith("--")) {
            return Optional.empty();
        }
        return Optional.of(NAMES.getOrDefault(name,
                PREFIX + name.substring(2).toUpperCase(Locale.ROOT).replace('-', '_')));
    }

    private static boolean commandLineOnly(OptionSpec option) {
        return option.userObject() instanceof AnnotatedElement element
                && element.isAnnotationPresent(CommandLineOnly.class);
    }

    /** The variable's value for a value option, when set and valid; flags and invalid values are left out here. */
    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || isFlag(option)) {
            return null;
        }
        return variable(option).flatMap(context::variable).filter(v -> problem(option, v).isEmpty()).orElse(null);
    }

    /**
     * Stops a command whose options' variables hold values their options cannot take, before it runs.
     *
     * @throws ParameterException naming the first such variable and the fix
     */
    void check(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (OptionSpec option : p.commandSpec().options()) {
                if (p.hasMatchedOption(option)) {
                    continue;
                }
                Optional<String> variable = variable(option);
                Optional<String> problem = variable.flatMap(context::variable).flatMap(v -> problem(option, v));
                if (problem.isPresent()) {
                    throw new ParameterException(p.commandSpec().commandLine(), variable.get() + " ("
                            + option.longestName() + ") " + problem.get() + ": fix or unset it");
                }
            }
        }
    }

    /** Switches on the flags of the commands run whose variable says true and that the command line did not give. */
    void applyFlags(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (OptionSpec option : p.commandSpec().options()) {
                if (isFlag(option) && !p.hasMatchedOption(option)) {
                    variable(option).flatMap(context::variable).flatMap(EnvironmentDefaults::bool)
                            .filter(Boolean::booleanValue).ifPresent(on -> option.setValue(true));
                }
            }
        }
    }

    /** A boolean option that takes no value. */
    static boolean isFlag(OptionSpec option) {
        return (option.type() == boolean.class || option.type() == Boolean.class) && option.arity().max() == 0;
    }

    /**
     * A variable's value as a flag: true for {@code true/yes/on/1}, false for {@code false/no/off/0} (any case).
     *
     * @param value the variable's value
     * @return the flag, empty when the value is none of those
     */
    static Optional<Boolean> bool(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> Optional.of(true);
            case "false", "no", "off", "0" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** What is wrong with {@code value} as {@code option}'s value, for the types whose conversion can fail. */
    private static Optional<String> problem(OptionSpec option, String value) {
        Class<?> type = option.type();
        String v = value.strip();
        try {
            if (isFlag(option)) {
                return bool(v).isPresent() ? Optional.empty()
                        : Optional.of("must be true or false (or yes/no, on/off, 1/0), was '" + v + "'");
            } else if (type == int.class || type == Integer.class) {
                Integer.parseInt(v);
            } else if (type == long.class || type == Long.class) {
                Long.parseLong(v);
            } else if (type == double.class || type == Double.class) {
                Double.parseDouble(v);
            }
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.of("must be a number, was '" + v + "'");
        }
    }

    /**
     * The name to quote in a message about an option's value: the option when the command line gave it, else its
     * variable when the value came from there.
     *
     * @param spec the command (for a mixin, its mixee)
     * @param option the option's name, e.g. {@code --table-jobs}
     * @param context the environment
     * @return {@code option} or its variable
     */
    static String origin(CommandSpec spec, String option, CliContext context) {
        OptionSpec o = spec.findOption(option);
        ParseResult parsed = spec.commandLine() == null ? null : spec.commandLine().getParseResult();
        if (o == null || parsed == null || parsed.hasMatchedOption(o)) {
            return option;
        }
        return variable(o).filter(v -> context.variable(v).isPresent()).orElse(option);
    }

    /**
     * The end of a message about a bad value whose name {@link #origin} gave: the fix when it is a variable.
     *
     * @param name what {@link #origin} returned
     * @return {@code ": fix or unset it"} after a variable, else an empty string
     */
    static String fix(String name) {
        return name.startsWith(PREFIX) ? ": fix or unset it" : "";
    }

    /**
     * The help section listing the variables {@code spec} reads, generated from its options, with the logging
     * variables every command reads.
     */
    static String helpSection(CommandSpec spec) {
        List<String[]> rows = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            variable(option).ifPresent(v -> rows.add(new String[] {v, option.longestName()
                    + (isFlag(option) ? " (true/false, yes/no, on/off, 1/0)" : "")}));
        }
        rows.add(new String[] {Logging.LEVEL_VARIABLE, "error, warn, info, notice or debug (--quiet, --verbose, "
                + "--debug win)"});
        rows.add(new String[] {Logging.JSON_VARIABLE, "true: each log line on standard error as one JSON object"});
        if (spec.findOption("--source") != null || spec.findOption("--target") != null) {
            rows.add(new String[] {"PGPASSWORD", "the password when the connection string has none"});
        }
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder sb = new StringBuilder(String.format("%nEnvironment (a flag on the command line wins):%n"));
        for (String[] row : rows) {
            sb.append("  ").append(row[0]).append(" ".repeat(width - row[0].length() + 2)).append(row[1])
                    .append(String.format("%n"));
        }
        return sb.toString();
    }

    /**
     * Reads defaults from the environment and lists the variables in the help of {@code root} and of every
     * subcommand already added (call it once the tree is complete).
     */
    void install(CommandLine root) {
        root.setDefaultValueProvider(this);
        addHelpSection(root);
    }

    private static void addHelpSection(CommandLine command) {
        String key = "environment";
        command.getHelpSectionMap().put(key, help -> helpSection(help.commandSpec()));
        List<String> keys = new ArrayList<>(command.getHelpSectionKeys());
        // picocli's setHelpSectionKeys also sets the keys of the subcommands already added: a subcommand may have it.
        keys.remove(key);
        int at = keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING);
        keys.add(at < 0 ? keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING) : at, key);
        command.setHelpSectionKeys(keys);
        command.getSubcommands().values().stream().distinct().forEach(EnvironmentDefaults::addHelpSection);
    }
}
