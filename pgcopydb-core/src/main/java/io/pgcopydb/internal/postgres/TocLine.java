package io.pgcopydb.internal.postgres;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of {@code pg_restore --list}: {@code dumpId; catalogOid objectOid DESC schema name owner}. Lines
 * starting with {@code ;} are comments.
 *
 * @param dumpId the archive's id of the entry
 * @param catalogOid OID of the catalog the object lives in (0 for composite entries such as ACL and COMMENT)
 * @param objectOid the object's OID on the source (0 for composite entries)
 * @param rest the description and name, e.g. {@code INDEX public film_fulltext_idx postgres}
 */
public record TocLine(int dumpId, long catalogOid, long objectOid, String rest) {
    private static final Pattern ENTRY = Pattern.compile("^(\\d+); (\\d+) (\\d+) (.*)$");

    /**
     * pg_dump's descriptions of more than one word (pg_backup_archiver.c, pg_dump.c). Matched longest first, so
     * {@code INDEX ATTACH} is never taken for {@code INDEX}.
     */
    private static final List<String> MULTI_WORD = List.of(
            "ACCESS METHOD", "BLOB METADATA", "CHECK CONSTRAINT", "DATABASE PROPERTIES", "DEFAULT ACL",
            "DOMAIN CONSTRAINT", "EVENT TRIGGER", "FK CONSTRAINT", "FOREIGN DATA WRAPPER", "FOREIGN SERVER",
            "FOREIGN TABLE", "INDEX ATTACH", "LARGE OBJECT", "MATERIALIZED VIEW", "MATERIALIZED VIEW DATA",
            "OPERATOR CLASS", "OPERATOR FAMILY", "POLICY", "PROCEDURAL LANGUAGE", "PUBLICATION TABLE",
            "PUBLICATION TABLES IN SCHEMA", "ROW SECURITY", "SECURITY LABEL", "SEQUENCE OWNED BY", "SEQUENCE SET",
            "SHELL TYPE", "TABLE ATTACH", "TABLE DATA", "TEXT SEARCH CONFIGURATION", "TEXT SEARCH DICTIONARY",
            "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE", "USER MAPPING")
            .stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();

    public static Optional<TocLine> parse(String line) {
        Matcher m = ENTRY.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new TocLine(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), m.group(4)));
    }

    /** The entry's description, e.g. {@code INDEX}, {@code INDEX ATTACH}, {@code FK CONSTRAINT}. */
    public String description() {
        for (String desc : MULTI_WORD) {
            if (rest.startsWith(desc + " ") || rest.equals(desc)) {
                return desc;
            }
        }
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }

    /** Whether the entry's description is exactly {@code desc} (not a longer one that starts with it). */
    public boolean is(String desc) {
        return description().equals(desc);
    }

    /** {@code SCHEMA - name owner}: the name (which may hold spaces) sits between the dash and the owner. */
    public String schemaName() {
        String tag = rest.substring("SCHEMA - ".length());
        int lastSpace = tag.lastIndexOf(' ');
        return lastSpace < 0 ? tag : tag.substring(0, lastSpace);
    }

    /** pg_restore --list prints names with line breaks turned into spaces. */
    public static String sanitize(String name) {
        return name.replace('\n', ' ').replace('\r', ' ');
    }
}
