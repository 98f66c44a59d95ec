package io.pgcopydb.cli;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code PGCOPYDB_} variables set in the environment that no command reads but that look like one that is read:
 * a typo ({@code PGCOPYDB_TABLEJOBS} for {@code PGCOPYDB_TABLE_JOBS}) would otherwise leave its option at the default
 * without a word. Each gets one warning naming the variable it was probably meant to be.
 *
 * <p>A variable is compared with those of the commands built for the run (usually one branch of the tree, see
 * {@link PgCopyDbCommand#newCommandLine(CliContext, String[])}) and with the variables read elsewhere ({@link
 * #OTHERS}); only when it looks like one of them is the whole tree built, to make sure no other command reads it
 * (a variable set for {@code clone} while {@code list} runs is no mistake). A variable like none stays unnamed: it
 * may be another tool's, and telling it apart would mean building the whole tree at every start.
 */
final class UnreadVariables {
    /** Variables read elsewhere than from an option: the logging's, the launcher's, the benchmark's, the testkit's. */
    static final Set<String> OTHERS = Set.of(Logging.LEVEL_VARIABLE, Logging.JSON_VARIABLE, "PGCOPYDB_JAVA_OPTS",
            "PGCOPYDB_CDS", "PGCOPYDB_BENCH_TIMES", "PGCOPYDB_DATASETS", "PGCOPYDB_TEST_SOURCE_URI",
            "PGCOPYDB_TEST_TARGET_URI", "PGCOPYDB_TEST_IMAGE");

    private UnreadVariables() {
    }

    /**
     * One warning for each such variable of {@code environment}, in the order of their names.
     *
     * @param environment the process's environment
     * @param built the command tree built for the run
     * @param whole the whole command tree, built only when a variable looks like a mistake
     * @return the warnings, e.g. {@code PGCOPYDB_TABLEJOBS is set, but no pgcopydb command reads it: did you mean
     *     PGCOPYDB_TABLE_JOBS?}
     */
    static List<String> warnings(Map<String, String> environment, CommandLine built, Supplier<CommandLine> whole) {
        Set<String> given = new TreeSet<>();
        for (String name : environment.keySet()) {
            if (name.startsWith(EnvironmentDefaults.PREFIX) && !OTHERS.contains(name)) {
                given.add(name);
            }
        }
        if (given.isEmpty()) {
            return List.of();
        }
        Set<String> known = new TreeSet<>(OTHERS);
        known.addAll(variables(built));
        Map<String, List<String>> suspects = new LinkedHashMap<>();
        for (String name : given) {
            List<String> meant = known.contains(name) ? List.of() : meant(name, known);
            if (!meant.isEmpty()) {
                suspects.put(name, meant);
            }
        }
        if (suspects.isEmpty()) {
            return List.of();
        }
        Set<String> everywhere = variables(whole.get());
        return suspects.entrySet().stream().filter(e -> !everywhere.contains(e.getKey()))
                .map(e -> e.getKey() + " is set, but no pgcopydb command reads it: "
                        + Suggestions.didYouMean(e.getValue()))
                .toList();
    }

    /** The variables {@code name} is closest to, compared without the prefix they share. */
    private static List<String> meant(String name, Collection<String> known) {
        int prefix = EnvironmentDefaults.PREFIX.length();
        List<String> suffixes = known.stream().map(k -> k.substring(prefix)).toList();
        return Suggestions.closest(name.substring(prefix), suffixes).stream()
                .map(s -> EnvironmentDefaults.PREFIX + s).toList();
    }

    /** The variables the options of {@code root} and of all its subcommands are read from. */
    static Set<String> variables(CommandLine root) {
        Set<String> names = new TreeSet<>();
        collect(root, names);
        return names;
    }

    private static void collect(CommandLine command, Set<String> names) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            EnvironmentDefaults.variable(option).ifPresent(names::add);
        }
        // An alias maps to the same command: each once.
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, names));
    }
}
