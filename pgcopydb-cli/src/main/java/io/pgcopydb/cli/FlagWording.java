package io.pgcopydb.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the library's remedies for the command line: the library names its API ({@code noOwner()},
 * {@code workDirectory(path)}), and a user of this tool needs the flag ({@code --no-owner}, {@code --dir DIR}).
 * One table, one place; applied to the one line a failure prints. API names with no flag stay as they are.
 */
final class FlagWording {
    /** A builder method and its flag; {@code label} replaces the method's placeholder argument. */
    private record Flag(String flag, String placeholder, String label, boolean anyValue) {
    }

    /**
     * Every option of {@code clone} ({@link CloneCommand}, {@link JobOptions}, {@link SchemaOptions},
     * {@link PgBinOption}) that has a builder method; {@code --fail-fast} has none (the library stops at the first
     * failure unless {@code continueOnError()}), nor do {@code --source}, {@code --target} and {@code --debug}.
     */
    private static final Map<String, Flag> FLAGS = new LinkedHashMap<>();

    static {
        flag("jobs", "--table-jobs", "n", "N");
        flag("indexJobs", "--index-jobs", "n", "N");
        flag("restoreJobs", "--restore-jobs", "n", "N");
        flag("largeObjectJobs", "--large-objects-jobs", "n", "N");
        FLAGS.put("workDirectory", new Flag("--dir", "path", "DIR", true));
        FLAGS.put("clientTools", new Flag("--pg-bin", "dir", "DIR", true));
        flag("notConsistent", "--not-consistent");
        flag("skipVacuum", "--skip-vacuum");
        flag("skipLargeObjects", "--skip-large-objects");
        flag("filter", "--filters", "filters", "FILE");
        flag("splitTablesLargerThan", "--split-tables-larger-than", "bytes", "SIZE");
        flag("splitMaxParts", "--split-max-parts", "n", "N");
        flag("skipSplitByCtid", "--skip-split-by-ctid");
        flag("maintenanceWorkMem", "--maintenance-work-mem", "value", "SIZE");
        flag("useCopyBinary", "--use-copy-binary");
        flag("useCopyText", "--use-copy-text");
        flag("resume", "--resume");
        flag("restart", "--restart");
        FLAGS.put("snapshot", new Flag("--snapshot", "id", "ID", true));
        flag("timeout", "--timeout", "d", "DURATION");
        flag("retries", "--retries", "n", "N");
        flag("roles", "--roles");
        flag("noRolePasswords", "--no-role-passwords");
        flag("noOwner", "--no-owner");
        flag("noAcl", "--no-acl");
        flag("noComments", "--no-comments");
        flag("skipExtensions", "--skip-extensions");
        flag("skipExtensionComments", "--skip-ext-comments");
        flag("skipCollations", "--skip-collations");
        flag("skipDbProperties", "--skip-db-properties");
        flag("dropIfExists", "--drop-if-exists");
        flag("verify", "--verify");
        flag("strategy", "--strategy", "STREAM", "stream");
        flag("terminateSourceSessions", "--terminate-source-sessions");
    }

    /** {@code name(args)}, not part of a longer identifier ({@code pg_export_snapshot()} stays). */
    private static final Pattern CALL = Pattern.compile("(?<![A-Za-z0-9_.])([a-z][A-Za-z]*)\\(([^()]*)\\)");

    /** {@code steps(NAME)}: a {@link io.pgcopydb.CopyStep} named in a remedy. */
    private static final Pattern STEP = Pattern.compile("steps\\(([A-Z_]+)\\)");

    private FlagWording() {
    }

    private static void flag(String method, String flag) {
        FLAGS.put(method, new Flag(flag, "", "", false));
    }

    private static void flag(String method, String flag, String placeholder, String label) {
        FLAGS.put(method, new Flag(flag, placeholder, label, false));
    }

    /**
     * {@code line} with every builder method that has a flag replaced by it: {@code noOwner()} → {@code --no-owner},
     * {@code workDirectory(path)} → {@code --dir DIR}, {@code workDirectory(/w)} → {@code --dir /w}.
     *
     * @param line one line of the library
     * @return the line as this tool's user reads it
     */
    static String rewrite(String line) {
        // A step to run first: steps(PRE_DATA) → 'pgcopydb copy pre-data'.
        Matcher m = STEP.matcher(line);
        line = m.replaceAll(r -> "'pgcopydb copy " + io.pgcopydb.CopyStep.valueOf(r.group(1)).commandName() + "'");
        m = CALL.matcher(line);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Flag f = FLAGS.get(m.group(1));
            String arg = m.group(2);
            String replacement = m.group();
            if (f != null && arg.equals(f.placeholder())) {
                replacement = f.label().isEmpty() ? f.flag() : f.flag() + " " + f.label();
            } else if (f != null && f.anyValue() && !arg.isBlank()) {
                replacement = f.flag() + " " + arg;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The methods this tool has a flag for, for tests. */
    static Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        FLAGS.forEach((method, f) -> flags.put(method, f.flag()));
        return flags;
    }
}
