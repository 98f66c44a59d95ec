package io.pgcopydb.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the sizes and durations options take, as pgcopydb spells them; a bad value is a usage error. */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?b?)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    /**
     * A memory setting such as {@code maintenance_work_mem}, as PostgreSQL reads it in kB: {@link #parseBytes}
     * within PostgreSQL's bounds, 1MB to 2TB.
     */
    static String memorySetting(String option, String value) {
        long kb = parseBytes(option, value) >> 10;
        if (kb < 1024 || kb > Integer.MAX_VALUE) {
            throw new UsageException(option + " " + value + " is out of PostgreSQL's range: give 1MB to 2TB, e.g. "
                    + "512MB");
        }
        return kb + "kB";
    }

    /** {@code 1024}, {@code 512MB}, {@code 10 GB}, {@code 64kB}: bytes, with 1024-based units as PostgreSQL reads them. */
    static long parseBytes(String option, String value) {
        Matcher m = SIZE.matcher(value.strip());
        if (!m.matches()) {
            throw new UsageException(option + " " + value + " is not a size: give bytes or a number with kB, MB, "
                    + "GB or TB, e.g. 10GB");
        }
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT).replace("b", "");
        int shift = switch (unit) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " " + value + " is too large");
        }
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 500ms}; a bare number is seconds. */
    static Duration parseDuration(String option, String value) {
        Matcher m = DURATION.matcher(value.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UsageException(option + " " + value + " is not a positive duration: give e.g. 90s, 30m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
