package io.pgcopydb.internal.schema;

import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.SqlText;
import io.pgcopydb.internal.postgres.ToolRunner;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.Side;
import io.pgcopydb.stage.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the source cluster's roles: {@code pg_dumpall --roles-only} into the work directory, then the script
 * replayed on the target in one transaction. A role that already exists on the target (the connecting role
 * always does) is left exactly as it is: its {@code CREATE ROLE}, {@code ALTER ROLE}, {@code COMMENT} and
 * {@code SECURITY LABEL} statements are skipped. A membership or privilege grant the target refuses (a role
 * it names is missing) is skipped with a WARN line; any other failure fails the step. The script may hold
 * password hashes: it is private to the user running the copy and deleted after the replay.
 */
public final class RoleCopier {
    private static final Logger LOG = LoggerFactory.getLogger(RoleCopier.class);
    static final String SCRIPT = "roles.sql";

    /** A role name as pg_dumpall writes it: double-quoted, or bare. */
    private static final String NAME = "(\"(?:[^\"]|\"\")*\"|[^\\s;\"]+)";
    /** {@code CREATE ROLE name}, {@code ALTER ROLE name …}, {@code COMMENT ON ROLE name …}: group 2 is the name. */
    private static final Pattern ROLE_STATEMENT = Pattern.compile("(?is)(CREATE\\s+ROLE|ALTER\\s+ROLE"
            + "|COMMENT\\s+ON\\s+ROLE|SECURITY\\s+LABEL\\s+(?:FOR\\s+\\S+\\s+)?ON\\s+ROLE)\\s+" + NAME + "(.*)");
    private static final Pattern GRANTED_BY = Pattern.compile("(?is)\\s+GRANTED\\s+BY\\s+" + NAME);

    private RoleCopier() {
    }

    /**
     * Dumps the roles and replays them on the target; the script is deleted afterwards. Steps run alone replay the
     * script a schema dump alone with roles ({@link #dumpOnly}) left in the work directory instead, and keep it.
     */
    public static void copy(RunContext context) throws Exception {
        Path kept = context.workDirectory().resolve(SCRIPT);
        if (context.options().steps().isPresent() && Files.isRegularFile(kept)) {
            LOG.info("Replaying the roles dumped earlier: {}", kept);
            replay(context, Files.readString(kept, StandardCharsets.UTF_8));
            return;
        }
        Path script = dumpOnly(context);
        try {
            replay(context, Files.readString(script, StandardCharsets.UTF_8));
        } finally {
            deleteQuietly(script);
        }
    }

    /**
     * {@code pg_dumpall --roles-only} into the work directory's {@code roles.sql}, readable by its owner only (it
     * may hold password hashes: {@code noRolePasswords()} leaves them out); returns the script.
     */
    public static Path dumpOnly(RunContext context) throws Exception {
        Path tool = context.clientTool("pg_dumpall");
        if (!Files.isExecutable(tool)) {
            throw new IllegalStateException("pg_dumpall not found at " + tool + ", next to pg_dump: install the "
                    + "full PostgreSQL client tools, or copy without roles()");
        }
        Path script = context.workDirectory().resolve(SCRIPT);
        Files.deleteIfExists(script);
        // Created before pg_dumpall writes into it, so password hashes are never readable by others.
        Files.createFile(script, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            dump(context, script);
            return script;
        } catch (Exception | Error e) {
            deleteQuietly(script);
            throw e;
        }
    }

    private static void dump(RunContext context, Path script) throws Exception {
        List<String> args = new ArrayList<>(List.of("--roles-only", "--no-password", "--encoding=UTF8",
                "--file=" + script));
        if (context.options().noRolePasswords()) {
            args.add("--no-role-passwords");
        }
        args.add("--dbname=" + context.databaseArgument(Side.SOURCE));
        ToolResult result = context.runClientTool("pg_dumpall", args, Side.SOURCE, "pg_dumpall.log");
        if (!result.succeeded()) {
            String hint = result.output().contains("pg_authid") && !context.options().noRolePasswords()
                    ? " (reading passwords needs a superuser on the source: use noRolePasswords())"
                    : "";
            throw new IllegalStateException("pg_dumpall --roles-only failed (exit " + result.exitCode() + "): "
                    + ToolRunner.tail(result.output(), 5) + hint);
        }
    }

    private static void replay(RunContext context, String script) throws SQLException {
        List<String> statements = Script.statements(script);
        int created = 0;
        List<String> kept = new ArrayList<>();
        List<String> skippedGrants = new ArrayList<>();
        try (Connection target = context.openTarget()) {
            target.setAutoCommit(false);
            String self = queryString(target, "SELECT current_user", null);
            boolean superuser = "t".equals(queryString(target,
                    "SELECT rolsuper::text::char FROM pg_catalog.pg_roles WHERE rolname = current_user", null));
            Set<String> untouchable = new HashSet<>();
            for (String sql : statements) {
                Matcher role = ROLE_STATEMENT.matcher(sql);
                if (role.matches()) {
                    String name = Script.unquote(role.group(2));
                    boolean create = role.group(1).regionMatches(true, 0, "CREATE", 0, 6);
                    if (create && (name.equals(self) || name.startsWith("pg_") || roleExists(target, name))) {
                        untouchable.add(name);
                        kept.add(name);
                        LOG.info("role {} already exists on the target: left unchanged", name);
                        continue;
                    }
                    if (untouchable.contains(name)) {
                        continue;
                    }
                    execute(target, superuser ? sql : withoutSuperuserDefaults(sql));
                    created += create ? 1 : 0;
                } else if (isClientEncoding(sql)) {
                    // pgjdbc only speaks UTF-8, which pg_dumpall was told to write anyway
                    continue;
                } else if (isGrant(sql)) {
                    if (!grant(context, target, sql)) {
                        skippedGrants.add(sql);
                    }
                } else {
                    execute(target, sql);
                }
            }
            target.commit();
        }
        LOG.info("Copied roles: {} created, {} already on the target{}", created, kept.size(),
                skippedGrants.isEmpty() ? "" : ", " + skippedGrants.size() + " grant(s) skipped");
    }

    private static void execute(Connection target, String sql) throws SQLException {
        LOG.debug("{}", redact(sql));
        try {
            Sessions.execute(target, sql);
        } catch (SQLException e) {
            // Not chained as the cause: the report's message would then be the server's alone, without the SQL.
            SQLException failure = new SQLException("copying roles failed on " + SqlText.cap(redact(sql), 200)
                    + ": " + Errors.message(e), e.getSQLState());
            failure.addSuppressed(e);
            throw failure;
        }
    }

    /**
     * A membership or privilege grant inside a savepoint. When the target refuses it because of its
     * {@code GRANTED BY} clause (that grantor is missing, or may not grant there), it is retried as granted by
     * the connecting role; when it still fails, it is skipped with a warning.
     *
     * @return whether the grant was applied
     */
    private static boolean grant(RunContext context, Connection target, String sql) throws SQLException {
        SQLException first = tryExecute(target, sql);
        if (first == null) {
            return true;
        }
        Matcher grantor = GRANTED_BY.matcher(sql);
        if (grantor.find()) {
            String without = grantor.replaceFirst("");
            if (tryExecute(target, without) == null) {
                context.warn(without + ": granted by the target's connecting role instead, since the target "
                        + "refused the original: " + Errors.message(first));
                return true;
            }
        }
        context.warn("skipped " + sql + ": " + Errors.message(first) + " (SQLSTATE " + first.getSQLState() + ")");
        return false;
    }

    /** Runs {@code sql} in a savepoint; returns the refusal, or {@code null}. A lost connection is thrown. */
    private static SQLException tryExecute(Connection target, String sql) throws SQLException {
        LOG.debug("{}", sql);
        return Sessions.executeInSavepoint(target, sql, e -> {
            String state = e.getSQLState();
            return state != null && (state.startsWith("42") || state.startsWith("0L") || state.startsWith("0P")
                    || state.startsWith("22") || state.startsWith("55"));
        }, e -> {
            SQLException failure = new SQLException("copying roles failed on " + SqlText.cap(sql, 200) + ": "
                    + Errors.message(e), e.getSQLState());
            failure.addSuppressed(e);
            return failure;
        });
    }

    /**
     * pg_dumpall spells out NOSUPERUSER, NOREPLICATION and NOBYPASSRLS for every role; a non-superuser (say, a
     * CREATEROLE admin on a managed service) may not even name those attributes, although they are the defaults
     * of a new role. Dropping them changes nothing for the roles it creates; a role that really has one of the
     * positive attributes still fails, loudly.
     */
    static String withoutSuperuserDefaults(String sql) {
        return sql.replaceAll("(?i)\\s+(NOSUPERUSER|NOREPLICATION|NOBYPASSRLS)\\b", "");
    }

    private static boolean isGrant(String sql) {
        return sql.regionMatches(true, 0, "GRANT", 0, 5) || sql.regionMatches(true, 0, "REVOKE", 0, 6);
    }

    private static boolean isClientEncoding(String sql) {
        return sql.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").startsWith("set client_encoding");
    }

    /** The SQL without a password hash, for logs and messages. */
    static String redact(String sql) {
        return sql.replaceAll("(?is)(\\bPASSWORD\\s+)(E?'(?:[^']|'')*')", "$1'…'");
    }

    private static boolean roleExists(Connection target, String name) throws SQLException {
        return queryString(target, "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?", name) != null;
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

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete {}, which may hold password hashes: {}", file, e.getMessage());
        }
    }

    /** Splits a pg_dumpall script into SQL statements, leaving out comments and psql meta-commands. */
    static final class Script {
        private Script() {
        }

        /**
         * The statements of {@code text}, each without its terminating semicolon. Semicolons, dashes and line
         * breaks inside string literals ({@code '…'}, {@code E'…'} with backslash escapes) and quoted
         * identifiers do not split; a line starting with a backslash between statements is a psql meta-command
         * (pg_dumpall's restrict and unrestrict keys) and is dropped.
         */
        static List<String> statements(String text) {
            List<String> out = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            int i = 0;
            int n = text.length();
            while (i < n) {
                char c = text.charAt(i);
                if (current.toString().isBlank()) {
                    if (c == '\\') {
                        i = endOfLine(text, i);
                        continue;
                    }
                    if (Character.isWhitespace(c)) {
                        i++;
                        continue;
                    }
                }
                if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                    i = endOfLine(text, i);
                    current.append(' ');
                } else if (c == '\'') {
                    boolean escapes = i > 0 && (text.charAt(i - 1) == 'E' || text.charAt(i - 1) == 'e')
                            && (i < 2 || !isIdentifierChar(text.charAt(i - 2)));
                    i = quoted(text, i, '\'', escapes, current);
                } else if (c == '"') {
                    i = quoted(text, i, '"', false, current);
                } else if (c == ';') {
                    out.add(current.toString().strip());
                    current.setLength(0);
                    i++;
                } else {
                    current.append(c);
                    i++;
                }
            }
            if (!current.toString().isBlank()) {
                out.add(current.toString().strip());
            }
            return out;
        }

        /** Copies a quoted token starting at {@code start} into {@code into}; returns the index after it. */
        private static int quoted(String text, int start, char quote, boolean escapes, StringBuilder into) {
            into.append(quote);
            int i = start + 1;
            while (i < text.length()) {
                char c = text.charAt(i);
                into.append(c);
                i++;
                if (escapes && c == '\\' && i < text.length()) {
                    into.append(text.charAt(i));
                    i++;
                } else if (c == quote) {
                    if (i < text.length() && text.charAt(i) == quote) {
                        into.append(quote);
                        i++;
                    } else {
                        return i;
                    }
                }
            }
            return i;
        }

        private static int endOfLine(String text, int i) {
            int eol = text.indexOf('\n', i);
            return eol < 0 ? text.length() : eol + 1;
        }

        private static boolean isIdentifierChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }

        /** {@code "a""b"} → {@code a"b}; an unquoted name folds to lower case, as the server reads it. */
        static String unquote(String identifier) {
            if (identifier.startsWith("\"")) {
                return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
            }
            return identifier.toLowerCase(Locale.ROOT);
        }
    }
}
