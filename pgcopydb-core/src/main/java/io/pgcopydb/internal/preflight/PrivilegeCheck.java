package io.pgcopydb.internal.preflight;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.Problem;
import io.pgcopydb.model.Side;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Lists, before anything is written, every privilege the connecting roles lack for what was asked, each with
 * the option that avoids it. Only what really fails is reported as a problem: PostgreSQL statements that merely
 * warn (a GRANT by a non-owner) and database settings (skipped at run time) come back as warnings.
 */
final class PrivilegeCheck {
    private static final int MAX_NAMES = 5;
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");

    /** The problems that stop the copy, and the degradations to log. */
    record Findings(List<Problem> problems, List<String> warnings) {
    }

    final CopyOptions options;
    final SourcePrivileges src;
    final TargetPrivileges tgt;
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private PrivilegeCheck(CopyOptions options, SourcePrivileges src, TargetPrivileges tgt) {
        this.options = options;
        this.src = src;
        this.tgt = tgt;
    }

    /** Reads both sides as the connecting roles and applies every rule. */
    static Findings check(CopyOptions options, Connection source, Connection target) throws SQLException {
        SourcePrivileges src = SourcePrivileges.read(source, options.dropIfExists());
        Set<String> roleNames = new TreeSet<>();
        src.owned().forEach(o -> roleNames.add(o.owner()));
        src.aclRoles().forEach(a -> roleNames.add(a.role()));
        src.settings().stream().filter(s -> s.role() != null).forEach(s -> roleNames.add(s.role()));
        TargetPrivileges tgt = TargetPrivileges.read(target, src, roleNames);
        PrivilegeCheck check = new PrivilegeCheck(options, src, tgt);
        check.source();
        new TargetPrivilegeRules(check).apply();
        check.databaseSettings();
        return new Findings(List.copyOf(check.problems), List.copyOf(check.warnings));
    }

    private void source() {
        String u = ident(src.user());
        if (!src.schemasWithoutUsage().isEmpty()) {
            problem(Side.SOURCE, src.schemasWithoutUsage(), "source role " + src.user() + " lacks USAGE on schema "
                    + names(src.schemasWithoutUsage()), "grant it (GRANT USAGE ON SCHEMA "
                    + ident(src.schemasWithoutUsage().get(0)) + " TO " + u + ")");
        }
        if (!src.unreadableTables().isEmpty()) {
            problem(Side.SOURCE, src.unreadableTables(), "source role " + src.user() + " lacks SELECT on "
                    + count(src.unreadableTables(), "table") + " (" + names(src.unreadableTables()) + ")",
                    "grant it (GRANT SELECT ON " + src.unreadableTables().get(0) + " TO " + u + "), or copy as "
                            + "their owner");
        }
        if (!src.unreadableSequences().isEmpty()) {
            problem(Side.SOURCE, src.unreadableSequences(), "source role " + src.user() + " lacks SELECT on "
                    + count(src.unreadableSequences(), "sequence") + " (" + names(src.unreadableSequences())
                    + "), needed to read their values", "grant it (GRANT SELECT ON SEQUENCE "
                    + src.unreadableSequences().get(0) + " TO " + u + ")");
        }
        if (!src.rowSecurityTables().isEmpty()) {
            problem(Side.SOURCE, src.rowSecurityTables(), "row-level security applies to source role " + src.user()
                    + " on " + count(src.rowSecurityTables(), "table") + " (" + names(src.rowSecurityTables())
                    + "), so it would read only some rows", "copy as their owner, or as a role with BYPASSRLS (ALTER "
                    + "ROLE " + u + " BYPASSRLS)");
        }
        if (src.unreadableLargeObjects() > 0 && !options.skipLargeObjects()
                && !options.filters().leavesOutLargeObjects()) {
            problem(Side.SOURCE, List.of("large object " + src.unreadableExample()), "source role " + src.user()
                    + " cannot read " + src.unreadableLargeObjects() + " of " + src.largeObjects() + " large objects "
                    + "(e.g. " + src.unreadableExample() + ")", "grant SELECT on them (GRANT SELECT ON LARGE OBJECT "
                    + src.unreadableExample() + " TO " + u + "), or use skipLargeObjects()");
        }
        if (options.roles() && !options.noRolePasswords() && !src.superuser()) {
            problem(Side.SOURCE, List.of(src.user()), "copying roles with their passwords reads pg_authid, which "
                    + "needs a superuser on the source, and " + src.user() + " is not one", "use noRolePasswords()");
        }
    }

    /** ALTER DATABASE/ROLE … SET that would fail are skipped at run time with a warning; say so up front. */
    private void databaseSettings() {
        if (options.skipDbProperties() || tgt.superuser()) {
            return;
        }
        String remedy = "; use skipDbProperties() to leave them out";
        List<String> database = src.settings().stream().filter(s -> s.role() == null)
                .map(SourcePrivileges.Setting::setting).toList();
        if (!database.isEmpty() && !tgt.ownsDatabase()) {
            warning("database settings " + names(database) + " will be skipped: ALTER DATABASE " + tgt.database()
                    + " SET needs the database's owner or a superuser, and " + tgt.user() + " is neither" + remedy);
        }
        for (SourcePrivileges.Setting s : src.settings()) {
            TargetPrivileges.Parameter p = tgt.parameters().get(s.name());
            boolean settable = s.role() == null ? tgt.ownsDatabase() : canAlterRole(s.role());
            if (settable && p != null && p.context().equals("superuser") && !p.granted()) {
                warning("setting " + s.setting() + (s.role() == null ? "" : " of role " + s.role())
                        + " will be skipped: only a superuser may set " + s.name() + remedy);
            }
        }
        Set<String> roles = new TreeSet<>();
        src.settings().stream().filter(s -> s.role() != null && tgt.role(s.role()).exists() && !canAlterRole(s.role()))
                .forEach(s -> roles.add(s.role()));
        if (!roles.isEmpty()) {
            warning("settings of role " + names(List.copyOf(roles)) + " in database " + tgt.database()
                    + " will be skipped: ALTER ROLE … IN DATABASE … SET needs a superuser, or CREATEROLE"
                    + (tgt.major() >= 16 ? " with ADMIN OPTION on the role" : "") + " for a role that is not a "
                    + "superuser, and " + tgt.user() + " has neither" + remedy);
        }
    }

    private boolean canAlterRole(String role) {
        TargetPrivileges.Role r = tgt.role(role);
        if (role.equals(tgt.user())) {
            return true;
        }
        // PostgreSQL 16 also asks for ADMIN OPTION on the role; CREATEROLE is the coarse test here.
        return r.exists() && !r.superuser() && tgt.createRole();
    }

    /** A missing privilege on {@code side}, about the first of {@code objects}. */
    void problem(Side side, List<String> objects, String message, String remedy) {
        problem(ErrorCode.PRIVILEGE_MISSING, side, objects, message, remedy);
    }

    /** A problem on {@code side}, about the first of {@code objects}. */
    void problem(ErrorCode code, Side side, List<String> objects, String message, String remedy) {
        problems.add(Problem.of(code, message, remedy).withSide(side)
                .withObject(objects.isEmpty() ? null : objects.get(0)));
    }

    void warning(String text) {
        warnings.add(text);
    }

    /** Up to five names, then how many more. */
    static String names(List<String> names) {
        if (names.size() <= MAX_NAMES) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, MAX_NAMES)) + " and " + (names.size() - MAX_NAMES) + " more";
    }

    static String count(List<String> items, String noun) {
        return items.size() + " " + noun + (items.size() == 1 ? "" : "s");
    }

    /** An identifier as SQL needs it in a suggested statement. */
    static String ident(String name) {
        return PLAIN_IDENTIFIER.matcher(name).matches() ? name : '"' + name.replace("\"", "\"\"") + '"';
    }
}
