package io.pgcopydb.internal.schema;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.internal.postgres.TocLine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules that turn {@code pg_restore --list} of the archive into the pre-data {@code --use-list}: which entries
 * are commented out (a leading {@code ;}). Objects are recognised by the OIDs pg_dump wrote into the list, looked
 * up in the source catalog ({@link Source}), never by parsing names, which may hold spaces. An entry is skipped
 * when it is
 * <ul>
 *   <li>the {@code DATABASE} entry (the target database exists already);</li>
 *   <li>a {@code SCHEMA} the target has already, other than {@code public} (CREATE SCHEMA IF NOT EXISTS);</li>
 *   <li>an {@code EXTENSION} with {@code skipExtensions};</li>
 *   <li>an extension's {@code COMMENT} with {@code skipExtensions} or {@code skipExtensionComments};</li>
 *   <li>a {@code COLLATION}, or its {@code COMMENT}, {@code ACL} or {@code SECURITY LABEL}, with
 *       {@code skipCollations};</li>
 *   <li>a large object's {@code BLOB} (or {@code BLOB METADATA}) entry, or its {@code COMMENT}, {@code ACL} or
 *       {@code SECURITY LABEL}, when the filter leaves large objects out ({@code Filters#leavesOutLargeObjects}).</li>
 * </ul>
 * Everything else, comment lines included, passes unchanged.
 */
final class PreDataList {
    /** The comment, privileges or security label of a large object: {@code ACL - LARGE OBJECT 9001 owner}. */
    private static final Pattern LARGE_OBJECT_ATTACHMENT = Pattern.compile("(COMMENT|ACL|SECURITY LABEL) - LARGE "
            + "OBJECT \\d+ ");

    /**
     * The options the rules depend on.
     *
     * @param skipExtensions extensions and their comments are not restored
     * @param skipExtensionComments extension comments are not restored
     * @param skipCollations collations and their comments are not restored
     */
    record Rules(boolean skipExtensions, boolean skipExtensionComments, boolean skipCollations,
            boolean skipLargeObjects) {
        /** Large objects are kept. */
        Rules(boolean skipExtensions, boolean skipExtensionComments, boolean skipCollations) {
            this(skipExtensions, skipExtensionComments, skipCollations, false);
        }

        static Rules of(CopyOptions options) {
            return new Rules(options.skipExtensions(), options.skipExtensionComments(), options.skipCollations(),
                    options.filters().leavesOutLargeObjects());
        }
    }

    /** A source extension: its name, that name as pg_dump quotes it, and its schema. */
    record Extension(String name, String quotedName, String schema) {
    }

    /** A source collation: its schema, name, name as pg_dump quotes it, and owner. */
    record Collation(String schema, String name, String quotedName, String owner) {
        String qualified() {
            return schema + "." + name;
        }
    }

    /**
     * What the rules need to know about the source's objects, keyed by OID as the list names them.
     *
     * @param schemas namespace OID to name
     * @param extensions extension OID to extension
     * @param collations collation OID to collation
     */
    record Source(Map<Long, String> schemas, Map<Long, Extension> extensions, Map<Long, Collation> collations) {
        Source {
            schemas = Map.copyOf(schemas);
            extensions = Map.copyOf(extensions);
            collations = Map.copyOf(collations);
        }

        /** Reads the source catalog; run it in the run's snapshot so it agrees with the archive. */
        static Source read(Connection source) throws SQLException {
            Map<Long, String> schemas = new LinkedHashMap<>();
            Map<Long, Extension> extensions = new LinkedHashMap<>();
            Map<Long, Collation> collations = new LinkedHashMap<>();
            try (Statement s = source.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT oid, nspname FROM pg_catalog.pg_namespace")) {
                    while (rs.next()) {
                        schemas.put(rs.getLong(1), rs.getString(2));
                    }
                }
                try (ResultSet rs = s.executeQuery("""
                        SELECT e.oid, e.extname, pg_catalog.quote_ident(e.extname), n.nspname
                        FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace""")) {
                    while (rs.next()) {
                        extensions.put(rs.getLong(1), new Extension(rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
                try (ResultSet rs = s.executeQuery("""
                        SELECT c.oid, n.nspname, c.collname, pg_catalog.quote_ident(c.collname),
                               pg_catalog.pg_get_userbyid(c.collowner)
                        FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
                        WHERE c.oid >= 16384""")) {
                    while (rs.next()) {
                        collations.put(rs.getLong(1), new Collation(rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5)));
                    }
                }
            }
            return new Source(schemas, extensions, collations);
        }
    }

    private PreDataList() {
    }

    /** The list with the skipped entries commented out; as long as {@code toc}, in the same order. */
    static List<String> filter(List<String> toc, Rules rules, Source source, Set<String> targetSchemas) {
        Set<String> skippedTags = skippedCompositeTags(rules, source);
        return toc.stream()
                .map(line -> TocLine.parse(line).filter(e -> skip(e, rules, source, targetSchemas, skippedTags))
                        .map(e -> ";" + line).orElse(line))
                .toList();
    }

    /** The extensions whose EXTENSION entries {@link #filter} comments out. */
    static List<Extension> skippedExtensions(List<String> toc, Rules rules, Source source) {
        if (!rules.skipExtensions()) {
            return List.of();
        }
        return entries(toc, "EXTENSION").map(e -> source.extensions().get(e.objectOid()))
                .filter(Objects::nonNull).toList();
    }

    /**
     * {@code list} (already filtered) with only the extensions left in: their EXTENSION entries, their comments and
     * the SCHEMA entries of the schemas they live in; every other entry is commented out.
     */
    static List<String> extensionsOnly(List<String> list, Source source) {
        Set<String> schemas = new HashSet<>();
        source.extensions().values().forEach(x -> schemas.add(x.schema()));
        return list.stream().map(line -> TocLine.parse(line).filter(e -> !(e.is("EXTENSION")
                || e.rest().startsWith("COMMENT - EXTENSION ")
                || e.is("SCHEMA") && schemas.contains(schemaName(e, source)))).map(e -> ";" + line).orElse(line))
                .toList();
    }

    /** The collations whose COLLATION entries {@link #filter} comments out. */
    static List<Collation> skippedCollations(List<String> toc, Rules rules, Source source) {
        if (!rules.skipCollations()) {
            return List.of();
        }
        return entries(toc, "COLLATION").map(e -> source.collations().get(e.objectOid()))
                .filter(Objects::nonNull).toList();
    }

    private static Stream<TocLine> entries(List<String> toc, String desc) {
        return toc.stream().map(TocLine::parse).flatMap(Optional::stream).filter(e -> e.is(desc));
    }

    private static boolean skip(TocLine e, Rules rules, Source source, Set<String> targetSchemas,
            Set<String> skippedTags) {
        return switch (e.description()) {
            case "DATABASE" -> true;
            case "SCHEMA" -> {
                String name = schemaName(e, source);
                yield !name.equals("public") && targetSchemas.contains(name);
            }
            case "EXTENSION" -> rules.skipExtensions();
            case "COLLATION" -> rules.skipCollations();
            // A filter naming only some schemas or tables leaves large objects out, as pg_dump --schema does.
            case "BLOB", "BLOB METADATA" -> rules.skipLargeObjects();
            // COMMENT, ACL, SECURITY LABEL: composite entries, recognised by their whole text
            default -> skippedTags.contains(e.rest()) || rules.skipLargeObjects() && LARGE_OBJECT_ATTACHMENT
                    .matcher(e.rest()).lookingAt();
        };
    }

    /**
     * The {@code rest} of the COMMENT / ACL / SECURITY LABEL entries that belong to skipped objects, as
     * pg_restore prints them: {@code DESC namespace tag owner}, where pg_dump's tag is {@code EXTENSION
     * quotedName} or {@code COLLATION quotedName}, the namespace {@code -} for an extension, and an extension's
     * owner empty.
     */
    private static Set<String> skippedCompositeTags(Rules rules, Source source) {
        Set<String> tags = new HashSet<>();
        if (rules.skipExtensions() || rules.skipExtensionComments()) {
            for (Extension x : source.extensions().values()) {
                tags.add(TocLine.sanitize("COMMENT - EXTENSION " + x.quotedName() + " "));
            }
        }
        for (Collation c : rules.skipCollations() ? source.collations().values() : List.<Collation>of()) {
            String tail = " " + TocLine.sanitize(c.schema()) + " COLLATION " + TocLine.sanitize(c.quotedName()) + " "
                    + TocLine.sanitize(c.owner());
            for (String desc : List.of("COMMENT", "ACL", "SECURITY LABEL")) {
                tags.add(desc + tail);
            }
        }
        return tags;
    }

    /**
     * A SCHEMA entry's name: the source's name for the entry's OID; failing that, read from {@code SCHEMA - name
     * owner}, which is ambiguous when the owner's name holds a space.
     */
    static String schemaName(TocLine e, Source source) {
        String known = source.schemas().get(e.objectOid());
        return known != null ? known : e.schemaName();
    }
}
