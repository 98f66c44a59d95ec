package io.pgcopydb.internal.schema;

import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.SqlText;
import io.pgcopydb.internal.postgres.TocLine;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extensions created at the source's version. pg_dump writes {@code CREATE EXTENSION IF NOT EXISTS x WITH SCHEMA s}
 * without a version, so pg_restore creates the target's default version: an extension the source has at another
 * version ({@code ltree} 1.1 where 1.2 is the default) would come back changed. Its EXTENSION entry is replaced by
 * the same statement with {@code VERSION}: the source's ({@code pg_extension.extversion}) when the target can
 * install it ({@code pg_available_extension_versions}, which counts the versions update scripts reach), else the
 * closest one, chosen by {@link #closest}, with a warning in the log and the report. Entries whose source version
 * is the target's default are left to pg_restore. With {@code skipExtensions} the entries are commented out of the
 * list and so never replaced.
 */
final class ExtensionVersions {
    private static final Logger LOG = LoggerFactory.getLogger(ExtensionVersions.class);
    private static final Pattern DOTTED = Pattern.compile("\\d+(\\.\\d+)*");
    /** Dotted numbers compared part by part, numerically; a missing part counts as 0. */
    private static final Comparator<String> NUMERIC = ExtensionVersions::compareDotted;

    /** A source extension: its name, schema and installed version. */
    record SourceExtension(String name, String schema, String version) {
    }

    /** What the target can install of one extension. */
    record Available(String defaultVersion, Set<String> versions) {
    }

    /**
     * The version to create and, when it is not the source's, why it was chosen.
     *
     * @param version the version to create
     * @param rule empty when it is the source's; otherwise the rule that chose it, for the warning
     */
    record Choice(String version, Optional<String> rule) {
    }

    private ExtensionVersions() {
    }

    /** The replacements of the active EXTENSION entries of {@code list} whose source version is not the default. */
    static List<PreDataReplacements.Replacement> replacements(RunContext context, List<String> list)
            throws SQLException {
        List<TocLine> entries = list.stream().map(TocLine::parse).flatMap(Optional::stream)
                .filter(e -> e.is("EXTENSION")).toList();
        if (entries.isEmpty()) {
            return List.of();
        }
        Map<Long, SourceExtension> source = new HashMap<>();
        try (Connection c = context.openSource(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT e.oid, e.extname, n.nspname, e.extversion
                FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace""")) {
            while (rs.next()) {
                source.put(rs.getLong(1), new SourceExtension(rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        Map<String, Available> target = available(context, source.values().stream().map(SourceExtension::name)
                .toList());
        List<PreDataReplacements.Replacement> replacements = new ArrayList<>();
        for (TocLine e : entries) {
            SourceExtension x = source.get(e.objectOid());
            Available a = x == null ? null : target.get(x.name());
            // Not installable at all: pg_restore's own error says so.
            if (a == null || x.version().equals(a.defaultVersion())) {
                continue;
            }
            Choice choice = closest(x.version(), a.versions(), a.defaultVersion());
            replacements.add(new PreDataReplacements.Replacement(e.dumpId(), "extension " + x.name(),
                    t -> create(context, t, x, choice)));
        }
        return replacements;
    }

    /**
     * The version of the target's {@code available} ones closest to {@code wanted}: itself if there; else the
     * lowest above it — the one {@code ALTER EXTENSION … UPDATE} on the source would reach first, which keeps every
     * object the source's version has (extensions update forward, never back); else the highest below it; else,
     * when the versions are not dotted numbers to compare, the target's default.
     */
    static Choice closest(String wanted, Collection<String> available, String defaultVersion) {
        if (available.contains(wanted)) {
            return new Choice(wanted, Optional.empty());
        }
        if (DOTTED.matcher(wanted).matches()) {
            TreeSet<String> comparable = new TreeSet<>(NUMERIC.thenComparing(Comparator.naturalOrder()));
            available.stream().filter(v -> DOTTED.matcher(v).matches()).forEach(comparable::add);
            Optional<String> above = comparable.stream().filter(v -> NUMERIC.compare(v, wanted) > 0).findFirst();
            if (above.isPresent()) {
                return new Choice(above.get(), Optional.of("the lowest version above it that the target has"));
            }
            Optional<String> below = comparable.descendingSet().stream()
                    .filter(v -> NUMERIC.compare(v, wanted) < 0).findFirst();
            if (below.isPresent()) {
                return new Choice(below.get(), Optional.of("the highest version the target has; none is above it"));
            }
        }
        return new Choice(defaultVersion, Optional.of("the target's default version"));
    }

    static int compareDotted(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i].replaceFirst("^0+(?=.)", "") : "0";
            String q = i < y.length ? y[i].replaceFirst("^0+(?=.)", "") : "0";
            int c = p.length() != q.length() ? Integer.compare(p.length(), q.length()) : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static Map<String, Available> available(RunContext context, List<String> names) throws SQLException {
        Map<String, Available> available = new HashMap<>();
        try (Connection c = context.openTarget(); PreparedStatement ps = c.prepareStatement("""
                SELECT a.name, a.default_version,
                       ARRAY(SELECT v.version FROM pg_catalog.pg_available_extension_versions v
                             WHERE v.name = a.name ORDER BY 1)
                FROM pg_catalog.pg_available_extensions a WHERE a.name = ANY (?)""")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    available.put(rs.getString(1), new Available(rs.getString(2),
                            Set.of((String[]) rs.getArray(3).getArray())));
                }
            }
        }
        return available;
    }

    private static void create(RunContext context, Connection target, SourceExtension x, Choice choice)
            throws SQLException {
        // As pg_restore's session: the extension's script runs with the same settings.
        Sessions.execute(target, "SET check_function_bodies = false; SET client_min_messages = warning; "
                + "SELECT pg_catalog.set_config('search_path', '', false)");
        String sql = "CREATE EXTENSION IF NOT EXISTS " + QualifiedName.quoteIdent(x.name()) + " WITH SCHEMA "
                + QualifiedName.quoteIdent(x.schema()) + " VERSION " + SqlText.literal(choice.version());
        LOG.debug("{};", sql);
        Sessions.execute(target, sql);
        String installed;
        try (PreparedStatement ps = target.prepareStatement(
                "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = ?")) {
            ps.setString(1, x.name());
            try (ResultSet rs = ps.executeQuery()) {
                installed = rs.next() ? rs.getString(1) : "";
            }
        }
        if (installed.equals(x.version())) {
            return;
        }
        if (installed.equals(choice.version()) && choice.rule().isPresent()) {
            context.warn("extension " + x.name() + ": the source has version " + x.version() + ", which the target "
                    + "cannot install; created version " + choice.version() + " instead, " + choice.rule().get());
        } else {
            context.warn("extension " + x.name() + " was already on the target at version " + installed
                    + " (the source has " + x.version() + "), left as it was");
        }
    }
}
