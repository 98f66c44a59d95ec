package io.pgcopydb.filter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and writes pgcopydb's filter file ({@code --filters file.ini}), so existing files work unchanged.
 *
 * <pre>{@code
 * ; copy one tenant's schema, without the audit rows
 * [include-only-schema]
 * public
 * ~/^tenant_[0-9]+$/
 *
 * [exclude-table-data]
 * public.audit_log
 * }</pre>
 *
 * <p>The format: a {@code [section]} header, then one entry per line in the name syntax of {@link Filters}.
 * Lines are trimmed; blank lines and lines starting with {@code ;} or {@code #} are ignored (pgcopydb itself
 * only knows {@code ;}). As in pgcopydb's ini reader, {@code name = value} is read as {@code name}: values are
 * not used. The sections are those of {@link Filters.Section#iniName()}.
 *
 * <p>Where pgcopydb is silent this reader stops with the line number: an unknown or misspelled section (pgcopydb
 * ignores it and everything under it), an entry before any section, a section that appears twice (pgcopydb
 * reads only the first), and every error {@link Filters} reports. Where pgcopydb drops entries by accident it
 * keeps them: the last line when the file has no final newline, and {@code [exclude-table]} placed after
 * {@code [exclude-table-data]} (pgcopydb's prefix lookup finds the latter and skips the section).
 */
public final class FilterFile {
    private static final String KNOWN = Arrays.stream(Filters.Section.values())
            .map(s -> "[" + s.iniName() + "]").collect(Collectors.joining(", "));

    /** {@code key = value} where the key has no quote or pattern before the {@code =}. */
    private static final Pattern KEY_VALUE = Pattern.compile("^([^\"~=]*)=.*$");

    private FilterFile() {
    }

    /**
     * Reads a filter file (UTF-8).
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException naming the file and line of the first error
     */
    public static Filters read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString() + " ");
    }

    /**
     * Parses the content of a filter file.
     *
     * @throws IllegalArgumentException naming the line of the first error
     */
    public static Filters parse(String content) {
        return parse(Objects.requireNonNull(content, "content"), "");
    }

    private static Filters parse(String content, String where) {
        Filters filters = Filters.none();
        Filters.Section section = null;
        Map<Filters.Section, Integer> headers = new EnumMap<>(Filters.Section.class);
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).trim();
            }
            String at = where + "line " + (i + 1) + ": ";
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = header(line, at);
                Integer first = headers.putIfAbsent(section, i + 1);
                if (first != null) {
                    throw new IllegalArgumentException(at + "section [" + section.iniName() + "] already started at"
                            + " line " + first + " (pgcopydb reads only the first one); merge the two sections");
                }
                continue;
            }
            if (section == null) {
                throw new IllegalArgumentException(at + "entry \"" + line + "\" is outside any section; put it"
                        + " under one of " + KNOWN);
            }
            var keyValue = KEY_VALUE.matcher(line);
            String entry = keyValue.matches() ? keyValue.group(1).trim() : line;
            try {
                filters = filters.with(section, entry);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + e.getMessage(), e);
            }
        }
        return filters;
    }

    private static Filters.Section header(String line, String at) {
        int close = line.indexOf(']');
        if (close < 0) {
            throw new IllegalArgumentException(at + "section header " + line + " has no closing ]");
        }
        String rest = line.substring(close + 1).trim();
        if (!rest.isEmpty() && !rest.startsWith(";") && !rest.startsWith("#")) {
            throw new IllegalArgumentException(at + "unexpected \"" + rest + "\" after the section header; put"
                    + " entries on their own lines");
        }
        String name = line.substring(1, close);
        Optional<Filters.Section> section = Filters.Section.fromIniName(name);
        if (section.isEmpty()) {
            String hint = Filters.Section.fromIniName(name.strip().toLowerCase(java.util.Locale.ROOT)).isPresent()
                    ? " (section names are lower case, without spaces)" : "";
            throw new IllegalArgumentException(at + "unknown section [" + name + "]" + hint + "; known sections: "
                    + KNOWN);
        }
        return section.get();
    }

    /**
     * Writes {@code filters} as a filter file that pgcopydb and {@link #parse(String)} read back to the same
     * filters. Sections come in {@link Filters.Section} order, entries as written.
     */
    public static String format(Filters filters) {
        StringBuilder out = new StringBuilder();
        for (Filters.Section s : Filters.Section.values()) {
            if (filters.entries(s).isEmpty()) {
                continue;
            }
            out.append(out.length() == 0 ? "" : "\n").append('[').append(s.iniName()).append("]\n");
            filters.entries(s).forEach(e -> out.append(e.text()).append('\n'));
        }
        return out.toString();
    }
}
