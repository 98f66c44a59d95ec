package io.pgcopydb.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What part of the source database to copy: pgcopydb's filter sections as one immutable, thread-safe value.
 *
 * <pre>{@code
 * Filters filters = Filters.none()
 *         .includeOnlySchema("public", "~/^tenant_[0-9]+$/")
 *         .excludeTableData("public.audit_log")
 *         .excludeIndex("public.big_gin_idx");
 * }</pre>
 *
 * <p>Each method returns a new value with the entries appended (an entry already present is not repeated).
 * Entries use pgcopydb's name syntax: schema and extension sections take a name or a {@code ~/regex/}
 * pattern; table and index sections take {@code schema.name} where either part may be double-quoted or a
 * pattern ({@code public.~/^tmp_/}, {@code "Sales"."Order Lines"}). Exact names are case-sensitive and not
 * folded to lower case; patterns match unanchored ({@code ~/staging_/} matches any name containing
 * {@code staging_}) with {@link java.util.regex} syntax, close to PostgreSQL's for the expressions filters use.
 *
 * <p>Entries are validated as they are added: a malformed entry, an invalid regular expression, or a
 * contradiction (include-only-schema with exclude-schema, include-only-table with exclude-table,
 * include-only-extension with exclude-extension) throws {@link IllegalArgumentException} naming the entry and
 * the fix. Whether names exist is checked later, against the source, before anything is written: an exact
 * include-only name that matches nothing is an error, an exclude entry that matches nothing a warning.
 *
 * <p>How the sections combine: a table is copied when its schema passes the schema sections, it (or a
 * partition ancestor or descendant) matches include-only-table if that section is used, and it does not match
 * exclude-table; exclude-table-data keeps the table, its indexes and constraints but copies no rows (and does
 * not refresh a materialized view). Materialized views and foreign tables count as tables. See
 * {@link FilterFile} for the ini file format.
 */
public final class Filters {
    private static final Filters NONE = new Filters(new EnumMap<>(Section.class));

    private final Map<Section, List<Entry>> entries;

    private Filters(Map<Section, List<Entry>> entries) {
        this.entries = entries;
    }

    /** The filters of pgcopydb's ini file, in the order its documentation lists them. */
    public enum Section {
        /** Only these schemas are copied. */
        INCLUDE_ONLY_SCHEMA("include-only-schema", "includeOnlySchema", false),
        /** These schemas are not copied. */
        EXCLUDE_SCHEMA("exclude-schema", "excludeSchema", false),
        /** Only these tables (and materialized views, foreign tables) are copied. */
        INCLUDE_ONLY_TABLE("include-only-table", "includeOnlyTable", true),
        /** These tables and everything depending on them are not copied. */
        EXCLUDE_TABLE("exclude-table", "excludeTable", true),
        /** These tables are created with their indexes and constraints, but their rows are not copied. */
        EXCLUDE_TABLE_DATA("exclude-table-data", "excludeTableData", true),
        /** These indexes are not built; their tables are copied. */
        EXCLUDE_INDEX("exclude-index", "excludeIndex", true),
        /** Only these extensions are created. */
        INCLUDE_ONLY_EXTENSION("include-only-extension", "includeOnlyExtension", false),
        /** These extensions are not created and their configuration tables are not copied. */
        EXCLUDE_EXTENSION("exclude-extension", "excludeExtension", false);

        private final String iniName;
        private final String methodName;
        private final boolean qualified;

        Section(String iniName, String methodName, boolean qualified) {
            this.iniName = iniName;
            this.methodName = methodName;
            this.qualified = qualified;
        }

        /** The section's name in pgcopydb's ini file, e.g. {@code exclude-table-data}. */
        public String iniName() {
            return iniName;
        }

        /** The name of the {@link Filters} method that adds to this section, e.g. {@code excludeTableData}. */
        public String methodName() {
            return methodName;
        }

        /** Whether entries are {@code schema.name} (tables, indexes) rather than single names. */
        public boolean qualified() {
            return qualified;
        }

        /** Whether this is an include-only section (an exact name matching nothing is then an error). */
        public boolean includeOnly() {
            return this == INCLUDE_ONLY_SCHEMA || this == INCLUDE_ONLY_TABLE || this == INCLUDE_ONLY_EXTENSION;
        }

        /** The section this one cannot be combined with, if any. */
        Optional<Section> contradiction() {
            return Optional.ofNullable(switch (this) {
                case INCLUDE_ONLY_SCHEMA -> EXCLUDE_SCHEMA;
                case EXCLUDE_SCHEMA -> INCLUDE_ONLY_SCHEMA;
                case INCLUDE_ONLY_TABLE -> EXCLUDE_TABLE;
                case EXCLUDE_TABLE -> INCLUDE_ONLY_TABLE;
                case INCLUDE_ONLY_EXTENSION -> EXCLUDE_EXTENSION;
                case EXCLUDE_EXTENSION -> INCLUDE_ONLY_EXTENSION;
                default -> null;
            });
        }

        /** The section named {@code iniName} in pgcopydb's ini file (exact, case-sensitive), if any. */
        public static Optional<Section> fromIniName(String iniName) {
            return Arrays.stream(values()).filter(s -> s.iniName.equals(iniName)).findFirst();
        }

        @Override
        public String toString() {
            return iniName;
        }
    }

    /**
     * One validated entry of a section, able to test catalog names. Immutable; equal when section and text are.
     */
    public static final class Entry {
        private final Section section;
        private final String text;
        private final NamePattern name;
        private final QualifiedPattern qualified;

        private Entry(Section section, String text) {
            this.section = section;
            this.text = text;
            if (section.qualified()) {
                this.name = null;
                this.qualified = QualifiedPattern.parse(text);
            } else {
                NamePattern.Parsed parsed = NamePattern.parse(text, 0, false);
                if (parsed.end() != text.length()) {
                    throw new IllegalArgumentException("unexpected \"" + text.substring(parsed.end())
                            + "\" after the name; a quoted or pattern name must be the whole entry");
                }
                this.name = parsed.pattern();
                this.qualified = null;
            }
        }

        /** The section this entry belongs to. */
        public Section section() {
            return section;
        }

        /** The entry as written (surrounding whitespace removed). */
        public String text() {
            return text;
        }

        /** Whether any part is a {@code ~} pattern rather than an exact name. */
        public boolean isPattern() {
            return name != null ? name.isPattern() : qualified.isPattern();
        }

        /**
         * Whether a schema or extension name matches this entry.
         *
         * @throws IllegalStateException for a table or index entry, which needs {@link #matches(String, String)}
         */
        public boolean matches(String objectName) {
            if (name == null) {
                throw new IllegalStateException(section.methodName() + " entries are schema.name");
            }
            return name.matches(objectName);
        }

        /**
         * Whether a table or index {@code schema.name} matches this entry.
         *
         * @throws IllegalStateException for a schema or extension entry, which needs {@link #matches(String)}
         */
        public boolean matches(String schema, String objectName) {
            if (qualified == null) {
                throw new IllegalStateException(section.methodName() + " entries are single names");
            }
            return qualified.matches(schema, objectName);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && section == e.section && text.equals(e.text);
        }

        @Override
        public int hashCode() {
            return Objects.hash(section, text);
        }

        /** {@code methodName "text"}, as used in messages. */
        @Override
        public String toString() {
            return section.methodName() + " \"" + text + "\"";
        }
    }

    /** No filtering: everything is copied. */
    public static Filters none() {
        return NONE;
    }

    /** Copies only schemas matching these names or patterns. Contradicts {@link #excludeSchema}. */
    public Filters includeOnlySchema(String... schemas) {
        return with(Section.INCLUDE_ONLY_SCHEMA, schemas);
    }

    /** Skips schemas matching these names or patterns. Contradicts {@link #includeOnlySchema}. */
    public Filters excludeSchema(String... schemas) {
        return with(Section.EXCLUDE_SCHEMA, schemas);
    }

    /**
     * Copies only these {@code schema.table} entries (a partitioned table brings its partitions, a partition
     * brings its parent's definition). Contradicts {@link #excludeTable}.
     */
    public Filters includeOnlyTable(String... tables) {
        return with(Section.INCLUDE_ONLY_TABLE, tables);
    }

    /**
     * Skips these {@code schema.table} entries and everything depending on them. Contradicts
     * {@link #includeOnlyTable}.
     */
    public Filters excludeTable(String... tables) {
        return with(Section.EXCLUDE_TABLE, tables);
    }

    /** Creates these {@code schema.table} entries with indexes and constraints but copies none of their rows. */
    public Filters excludeTableData(String... tables) {
        return with(Section.EXCLUDE_TABLE_DATA, tables);
    }

    /** Does not build these {@code schema.index} entries. */
    public Filters excludeIndex(String... indexes) {
        return with(Section.EXCLUDE_INDEX, indexes);
    }

    /** Creates only extensions matching these names or patterns. Contradicts {@link #excludeExtension}. */
    public Filters includeOnlyExtension(String... extensions) {
        return with(Section.INCLUDE_ONLY_EXTENSION, extensions);
    }

    /** Does not create extensions matching these names or patterns. Contradicts {@link #includeOnlyExtension}. */
    public Filters excludeExtension(String... extensions) {
        return with(Section.EXCLUDE_EXTENSION, extensions);
    }

    /**
     * Adds {@code texts} to {@code section}; the generic form of the named methods.
     *
     * @throws IllegalArgumentException when an entry is blank or malformed, or the section contradicts one
     *     already used
     * @throws NullPointerException when an entry is null
     */
    public Filters with(Section section, String... texts) {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(texts, section.methodName());
        if (texts.length == 0) {
            return this;
        }
        Set<Entry> added = new LinkedHashSet<>(entries.getOrDefault(section, List.of()));
        for (String raw : texts) {
            Objects.requireNonNull(raw, () -> section.methodName() + " entry");
            String text = raw.strip();
            if (text.isEmpty()) {
                throw new IllegalArgumentException(section.methodName() + " entry is blank; write a "
                        + (section.qualified() ? "schema.name" : "name") + " or a ~/pattern/");
            }
            try {
                added.add(new Entry(section, text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(section.methodName() + " \"" + text + "\" is malformed: "
                        + e.getMessage(), e);
            }
        }
        section.contradiction().filter(entries::containsKey).ifPresent(other -> {
            throw new IllegalArgumentException(section.methodName() + " " + quoted(added) + " contradicts "
                    + other.methodName() + " " + quoted(entries.get(other)) + ": an object is either picked by an"
                    + " include-only list or dropped by an exclude list, not both; keep one of the two lists");
        });
        Map<Section, List<Entry>> copy = new EnumMap<>(Section.class);
        copy.putAll(entries);
        copy.put(section, List.copyOf(added));
        return new Filters(copy);
    }

    private static String quoted(Iterable<Entry> list) {
        StringJoiner j = new StringJoiner(", ");
        list.forEach(e -> j.add("\"" + e.text() + "\""));
        return j.toString();
    }

    /** The validated entries of {@code section}, in the order added; empty when the section is unused. */
    public List<Entry> entries(Section section) {
        return entries.getOrDefault(Objects.requireNonNull(section, "section"), List.of());
    }

    private List<String> texts(Section section) {
        return entries(section).stream().map(Entry::text).toList();
    }

    /** The include-only-schema entries as written; empty when unused. */
    public List<String> includedSchemas() {
        return texts(Section.INCLUDE_ONLY_SCHEMA);
    }

    /** The exclude-schema entries as written; empty when unused. */
    public List<String> excludedSchemas() {
        return texts(Section.EXCLUDE_SCHEMA);
    }

    /** The include-only-table entries as written; empty when unused. */
    public List<String> includedTables() {
        return texts(Section.INCLUDE_ONLY_TABLE);
    }

    /** The exclude-table entries as written; empty when unused. */
    public List<String> excludedTables() {
        return texts(Section.EXCLUDE_TABLE);
    }

    /** The exclude-table-data entries as written; empty when unused. */
    public List<String> excludedTableData() {
        return texts(Section.EXCLUDE_TABLE_DATA);
    }

    /** The exclude-index entries as written; empty when unused. */
    public List<String> excludedIndexes() {
        return texts(Section.EXCLUDE_INDEX);
    }

    /** The include-only-extension entries as written; empty when unused. */
    public List<String> includedExtensions() {
        return texts(Section.INCLUDE_ONLY_EXTENSION);
    }

    /** The exclude-extension entries as written; empty when unused. */
    public List<String> excludedExtensions() {
        return texts(Section.EXCLUDE_EXTENSION);
    }

    /**
     * Whether the filter leaves large objects out: it names the only schemas or tables to copy
     * ({@code include-only-schema}, {@code include-only-table}), as {@code pg_dump --schema} / {@code --table} do.
     * Large objects belong to no schema; a copy or comparison with such a filter copies and compares none of them
     * (data, owner, privileges, comment). Excluding filters keep them.
     */
    public boolean leavesOutLargeObjects() {
        return !entries(Section.INCLUDE_ONLY_SCHEMA).isEmpty() || !entries(Section.INCLUDE_ONLY_TABLE).isEmpty();
    }

    /** Whether no section has an entry, i.e. everything is copied. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Equal when every section holds the same entries, in any order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Filters f && sets().equals(f.sets());
    }

    @Override
    public int hashCode() {
        return sets().hashCode();
    }

    private Map<Section, Set<Entry>> sets() {
        Map<Section, Set<Entry>> sets = new EnumMap<>(Section.class);
        entries.forEach((s, list) -> sets.put(s, new HashSet<>(list)));
        return Collections.unmodifiableMap(sets);
    }

    /** E.g. {@code Filters[includeOnlySchema=[public, ~/^tenant_/], excludeTableData=[public.audit_log]]}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        entries.forEach((s, list) -> parts.add(s.methodName() + "=" + texts(s)));
        return "Filters" + parts;
    }
}
