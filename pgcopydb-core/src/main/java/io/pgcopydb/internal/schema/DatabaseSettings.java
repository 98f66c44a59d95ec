package io.pgcopydb.internal.schema;

import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.SqlText;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.QualifiedName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the source database's {@code ALTER DATABASE … SET} and {@code ALTER ROLE … IN DATABASE … SET} settings
 * ({@code pg_db_role_setting}, read in the run's snapshot) to the target database, in one target transaction.
 * A setting whose role does not exist on the target, whose name the target does not know, or that the target
 * refuses (a superuser-only setting, a value it rejects) is skipped with a WARN line naming it and why.
 */
public final class DatabaseSettings {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSettings.class);

    /** Settings marked GUC_LIST_QUOTE in the server, as listed by pg_dump's {@code variable_is_guc_list_quote}. */
    private static final Set<String> LIST_QUOTE = Set.of("local_preload_libraries", "search_path",
            "session_preload_libraries", "shared_preload_libraries", "temp_tablespaces", "unix_socket_directories");

    private static final String SOURCE_SETTINGS = """
            SELECT r.rolname, s.setconfig
              FROM pg_catalog.pg_db_role_setting s
              LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
             WHERE s.setdatabase = (SELECT oid FROM pg_catalog.pg_database
                                     WHERE datname = coalesce(?::name, pg_catalog.current_database()))
             ORDER BY s.setrole <> 0, r.rolname
            """;

    /**
     * One {@code name=value} item of {@code pg_db_role_setting}.
     *
     * @param role the role it applies to in this database, or {@code null} for the database itself
     */
    public record Setting(String role, String name, String value) {
        String describe() {
            return role == null ? "database setting " + name + "=" + value
                    : "setting " + name + "=" + value + " of role " + role + " in the database";
        }
    }

    private DatabaseSettings() {
    }

    /**
     * Reads the settings inside the snapshot; {@link #apply} writes them at the very end of the run, when the
     * snapshot is gone.
     */
    public static List<Setting> read(RunContext context) throws SQLException {
        try (Connection source = context.openSource()) {
            return read(source, null);
        }
    }

    /**
     * The custom ({@code prefix.name}) settings of the database itself among {@code settings}, in their order:
     * what the target's sessions set while the copy loads and builds, since the database gets them only at the end.
     * Role-in-database settings are left out: they apply to other roles than the copy's.
     */
    public static Map<String, String> sessionSettings(List<Setting> settings) {
        Map<String, String> custom = new LinkedHashMap<>();
        for (Setting s : settings) {
            if (s.role() == null && s.name().indexOf('.') > 0) {
                custom.put(s.name(), s.value());
            }
        }
        return custom;
    }

    /**
     * Copies database {@code from}'s settings to database {@code to} on the same server, through one session
     * {@code c} on any database of it ({@code pg_db_role_setting} is a shared catalog): what a copy made by
     * {@code CREATE DATABASE … TEMPLATE} needs, in the session that made it. Leaves {@code c} in autocommit.
     */
    public static void copyOnServer(RunContext context, Connection c, String from, String to) throws SQLException {
        try {
            apply(context, c, read(c, from), to);
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Writes {@code settings} to the target database, skipping with a warning what the target refuses. */
    public static void apply(RunContext context, List<Setting> settings) throws SQLException {
        if (none(settings)) {
            return;  // no session for nothing
        }
        try (Connection target = context.openTarget()) {
            apply(context, target, settings, null);
        }
    }

    /** {@link #apply(RunContext, List)} to database {@code name} (the session's own when null) through {@code target}. */
    private static void apply(RunContext context, Connection target, List<Setting> settings, String name)
            throws SQLException {
        if (none(settings)) {
            return;
        }
        int applied = 0;
        target.setAutoCommit(false);
        String database = name != null ? name : queryString(target, "SELECT current_database()", null);
        Map<String, Boolean> roles = new HashMap<>();
        Map<String, Boolean> known = new HashMap<>();
        for (Setting s : settings) {
            if (s.role() != null && !cached(roles, s.role(), () -> exists(target,
                    "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?", s.role()))) {
                context.warn("skipped " + s.describe() + ": role " + s.role() + " does not exist on the target");
                continue;
            }
            if (!cached(known, s.name(), () -> isKnown(target, s.name()))) {
                context.warn("skipped " + s.describe() + ": the target server does not know the setting "
                        + s.name());
                continue;
            }
            if (apply(context, target, alterCommand(s, database), s)) {
                applied++;
            }
        }
        target.commit();
        LOG.info("Copied {} of {} database and role-in-database settings", applied, settings.size());
    }

    /** The settings of database {@code name}, or of the session's own when it is null. */
    private static List<Setting> read(Connection c, String name) throws SQLException {
        List<Setting> settings = new ArrayList<>();
        try (PreparedStatement ps = DatabaseProperties.byName(c, SOURCE_SETTINGS, name);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String role = rs.getString(1);
                Array config = rs.getArray(2);
                if (config == null) {
                    continue;
                }
                for (String item : (String[]) config.getArray()) {
                    int eq = item.indexOf('=');
                    // pg_dump silently ignores an item without "=", which the server never stores
                    if (eq > 0) {
                        settings.add(new Setting(role, item.substring(0, eq), item.substring(eq + 1)));
                    }
                }
            }
        }
        return settings;
    }

    /**
     * Runs one ALTER inside a savepoint, so that a setting the target refuses is skipped without aborting the
     * others. Only refusals of the setting itself are skipped; a lost connection or a server failure is not.
     */
    private static boolean apply(RunContext context, Connection target, String sql, Setting s) throws SQLException {
        LOG.debug("{}", sql);
        // Not chained as the cause: the report's message would then be the server's alone, without the item.
        SQLException refused = Sessions.executeInSavepoint(target, sql, DatabaseSettings::isRefusal, e -> {
            SQLException failure = new SQLException("could not copy " + s.describe() + ": " + Errors.message(e),
                    e.getSQLState());
            failure.addSuppressed(e);
            return failure;
        });
        if (refused != null) {
            context.warn("skipped " + s.describe() + ": the target refused it: " + Errors.message(refused)
                    + " (SQLSTATE " + refused.getSQLState() + ")");
            return false;
        }
        return true;
    }

    private static boolean none(List<Setting> settings) {
        if (settings.isEmpty()) {
            LOG.debug("the source database has no database or role-in-database settings");
        }
        return settings.isEmpty();
    }

    /** Data exceptions, access and syntax rules, prerequisite state and unsupported features: about the setting. */
    static boolean isRefusal(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("42") || state.startsWith("55")
                || state.startsWith("0A"));
    }

    /**
     * The ALTER statement for one setting, built the way pg_dump's {@code makeAlterConfigCommand} does: a list
     * setting (stored already quoted by the server) is split and each element emitted as a string literal; any
     * other value is one string literal.
     */
    static String alterCommand(Setting s, String database) {
        StringBuilder sql = new StringBuilder("ALTER ");
        if (s.role() == null) {
            sql.append("DATABASE ").append(QualifiedName.quoteIdent(database));
        } else {
            sql.append("ROLE ").append(QualifiedName.quoteIdent(s.role())).append(" IN DATABASE ")
                    .append(QualifiedName.quoteIdent(database));
        }
        sql.append(" SET ").append(QualifiedName.quoteIdent(s.name())).append(" TO ");
        List<String> elements = LIST_QUOTE.contains(s.name().toLowerCase(Locale.ROOT)) ? splitList(s.value()) : null;
        if (elements == null || elements.isEmpty()) {
            // Not a list setting, or a list pg_dump could not split either: keep the value whole.
            sql.append(literal(s.value()));
        } else {
            for (int i = 0; i < elements.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(literal(elements.get(i)));
            }
        }
        return sql.toString();
    }

    /**
     * Splits a GUC list value as the server flattened it ({@code "$user", public, "Odd Schema"}), like
     * {@code SplitGUCList}: elements separated by commas, double-quoted ones with {@code ""} for a quote.
     *
     * @return the elements, or {@code null} on a syntax error
     */
    static List<String> splitList(String raw) {
        List<String> out = new ArrayList<>();
        int i = skipSpace(raw, 0);
        if (i == raw.length()) {
            return out;
        }
        while (true) {
            StringBuilder name = new StringBuilder();
            if (raw.charAt(i) == '"') {
                i++;
                while (true) {
                    int end = raw.indexOf('"', i);
                    if (end < 0) {
                        return null;
                    }
                    name.append(raw, i, end);
                    if (end + 1 < raw.length() && raw.charAt(end + 1) == '"') {
                        name.append('"');
                        i = end + 2;
                    } else {
                        i = end + 1;
                        break;
                    }
                }
            } else {
                int start = i;
                while (i < raw.length() && raw.charAt(i) != ',' && !Character.isWhitespace(raw.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    return null;
                }
                name.append(raw, start, i);
            }
            out.add(name.toString());
            i = skipSpace(raw, i);
            if (i == raw.length()) {
                return out;
            }
            if (raw.charAt(i) != ',') {
                return null;
            }
            i = skipSpace(raw, i + 1);
            if (i == raw.length()) {
                return null;
            }
        }
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** A string literal that reads the same whatever {@code standard_conforming_strings} is, as libpq writes it. */
    static String literal(String value) {
        if (value.indexOf('\\') < 0) {
            return SqlText.literal(value);
        }
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private interface Check {
        boolean test() throws SQLException;
    }

    private static boolean cached(Map<String, Boolean> cache, String key, Check check) throws SQLException {
        Boolean known = cache.get(key);
        if (known == null) {
            known = check.test();
            cache.put(key, known);
        }
        return known;
    }

    /** Known to the target, or a custom {@code prefix.name} placeholder, which any server accepts. */
    private static boolean isKnown(Connection target, String name) throws SQLException {
        return name.indexOf('.') > 0
                || exists(target, "SELECT 1 FROM pg_catalog.pg_settings WHERE lower(name) = lower(?)", name);
    }

    private static boolean exists(Connection c, String sql, String parameter) throws SQLException {
        return queryString(c, sql, parameter) != null;
    }

    private static String queryString(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
