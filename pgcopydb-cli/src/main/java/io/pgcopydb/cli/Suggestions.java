package io.pgcopydb.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What a mistyped word was probably meant to be, and the usage line that says so: {@code unknown option
 * '--table-job': did you mean --table-jobs?}, {@code unknown command 'clon': did you mean clone?}, else
 * {@code unexpected argument 'extra'}. picocli's own message ({@code Unknown options: '--table-job', '3'}) names the
 * option's value as a second unknown option, and its suggestions (every option sharing the first two letters) come
 * on a second line, which the one-line error drops.
 */
final class Suggestions {
    /** At most this many suggestions. */
    static final int MAX = 3;

    private Suggestions() {
    }

    /**
     * The usage line for the arguments {@code command} could not match, without the {@code (see … --help)} that
     * {@link ErrorReporter} adds.
     *
     * @param command the command whose parser stopped at them
     * @param unmatched what it could not match, in order (an unknown option is followed by what it took for its
     *     value)
     * @return the line, empty when there is nothing unmatched
     */
    static Optional<String> unmatched(CommandLine command, List<String> unmatched) {
        if (unmatched.isEmpty()) {
            return Optional.empty();
        }
        CommandSpec spec = command.getCommandSpec();
        String first = unmatched.get(0);
        if (looksLikeOption(first)) {
            List<String> options = unmatched.stream().filter(Suggestions::looksLikeOption).toList();
            List<String> names = optionNames(spec);
            String each = options.stream().limit(MAX).map(o -> {
                String typed = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
                String meant = didYouMean(closest(typed, names));
                return "'" + typed + "'" + (meant.isEmpty() ? "" : options.size() == 1 ? ": " + meant
                        : " (" + meant + ")");
            }).collect(Collectors.joining(", "));
            return Optional.of((options.size() == 1 ? "unknown option " : "unknown options ") + each
                    + (options.size() > MAX ? " and " + (options.size() - MAX) + " more" : ""));
        }
        List<String> commands = commandNames(spec);
        if (!commands.isEmpty() && spec.positionalParameters().isEmpty()) {
            String path = commandPath(spec);
            String meant = didYouMean(closest(first, commands).stream().map(c -> path + c).toList());
            return Optional.of("unknown command '" + path + first + "'" + (meant.isEmpty() ? "" : ": " + meant));
        }
        return Optional.of((unmatched.size() == 1 ? "unexpected argument " : "unexpected arguments ")
                + unmatched.stream().map(a -> "'" + a + "'").collect(Collectors.joining(", ")));
    }

    /**
     * The names among {@code names} that {@code typed} is closest to: those at most a few edits away (an edit: one
     * character inserted, deleted or replaced, or two neighbours swapped; more edits allowed for longer words) or
     * that it begins (three characters at least), nearest first, then in alphabetical order; at most {@link #MAX}.
     * Leading dashes and case do not count.
     *
     * @param typed what was typed, e.g. {@code --table-job}
     * @param names the names it could have meant, e.g. {@code --table-jobs}
     * @return the suggestions, empty when none is close
     */
    static List<String> closest(String typed, Collection<String> names) {
        String word = bare(typed);
        int limit = word.length() <= 2 ? 0 : word.length() <= 4 ? 1 : word.length() <= 8 ? 2 : 3;
        record Candidate(String name, int distance) {
        }
        List<Candidate> close = new ArrayList<>();
        for (String name : names.stream().distinct().toList()) {
            String other = bare(name);
            int distance = distance(word, other);
            if (distance <= limit || word.length() >= 3 && other.startsWith(word)) {
                close.add(new Candidate(name, distance));
            }
        }
        return close.stream().sorted(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name))
                .limit(MAX).map(Candidate::name).toList();
    }

    /**
     * The optimal string alignment distance of {@code a} and {@code b}: the fewest single-character insertions,
     * deletions, replacements and swaps of two neighbours that turn one into the other (no substring edited twice).
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /**
     * The question that offers {@code suggestions}: {@code did you mean --table-jobs?}, {@code did you mean a or b?}.
     *
     * @return the question, empty when there is no suggestion
     */
    static String didYouMean(List<String> suggestions) {
        return suggestions.isEmpty() ? "" : "did you mean " + String.join(" or ", suggestions) + "?";
    }

    private static boolean looksLikeOption(String arg) {
        return arg.length() > 1 && arg.charAt(0) == '-' && !Character.isDigit(arg.charAt(1));
    }

    private static String bare(String name) {
        int start = 0;
        while (start < name.length() && name.charAt(start) == '-') {
            start++;
        }
        return name.substring(start).toLowerCase(Locale.ROOT);
    }

    private static List<String> optionNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden()) {
                names.addAll(List.of(option.names()));
            }
        }
        return names;
    }

    private static List<String> commandNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, CommandLine> entry : spec.subcommands().entrySet()) {
            if (!entry.getValue().getCommandSpec().usageMessage().hidden()) {
                names.add(entry.getKey());
            }
        }
        return names;
    }

    /** The words of {@code spec}'s command after the tool's name, each followed by a space: {@code copy }. */
    private static String commandPath(CommandSpec spec) {
        String qualified = spec.qualifiedName(" ");
        int space = qualified.indexOf(' ');
        return space < 0 ? "" : qualified.substring(space + 1) + " ";
    }
}
