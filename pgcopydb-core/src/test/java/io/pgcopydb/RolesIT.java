package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.Sql;
import io.pgcopydb.testkit.server.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code roles()}: roles of the source cluster created on the target with their attributes, passwords and
 * memberships; roles that already exist there left as they are. Roles are cluster-wide, so each test uses new
 * names and drops, on both servers, its own roles and whatever the copy created.
 */
@ExtendWith(PostgresPairExtension.class)
class RolesIT {
    private static final String AUTHID = "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb,"
            + " rolcanlogin, rolreplication, rolbypassrls, rolconnlimit, rolpassword, rolvaliduntil,"
            + " shobj_description(oid, 'pg_authid') FROM pg_authid WHERE rolname = ?";
    private static final String MEMBERSHIPS = "SELECT r.rolname, m.rolname, a.admin_option FROM pg_auth_members a"
            + " JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member"
            + " WHERE m.rolname = ? ORDER BY 1";

    private final Set<String> sourceRoles = new LinkedHashSet<>();
    private final Set<String> targetRoles = new LinkedHashSet<>();
    private DatabasePair pair;
    private Set<String> rolesBefore = Set.of();

    @AfterEach
    void dropRoles() {
        if (pair == null) {
            return;
        }
        sourceRoles.forEach(r -> pair.source().execute("DROP ROLE IF EXISTS " + Sql.quoteIdent(r)));
        targetRoles.addAll(newOnTarget());
        targetRoles.forEach(r -> pair.target().execute("DROP ROLE IF EXISTS " + Sql.quoteIdent(r)));
    }

    private void remember(DatabasePair pair) {
        this.pair = pair;
        this.rolesBefore = Set.copyOf(roleNames(pair.target()));
    }

    /** Roles on the target that were not there when the test started: what the copy created. */
    private List<String> newOnTarget() {
        List<String> created = new ArrayList<>(roleNames(pair.target()));
        created.removeAll(rolesBefore);
        return created;
    }

    @Test
    void createsRolesMissingOnTheTargetWithAttributesPasswordAndMembership(DatabasePair pair) {
        remember(pair);
        long n = System.nanoTime();
        String group = "grp_" + n;
        String user = "r_" + n;
        String odd = "Odd; \"role\" 'é' " + n;
        createOnSource(pair, group, "NOLOGIN");
        createOnSource(pair, user, "LOGIN PASSWORD 'secret-" + n + "' CREATEDB CONNECTION LIMIT 3"
                + " VALID UNTIL '2100-01-01 00:00:00+00'");
        createOnSource(pair, odd, "NOLOGIN");
        pair.source().execute("GRANT " + group + " TO " + user + " WITH ADMIN OPTION; GRANT " + group + " TO "
                + Sql.quoteIdent(odd) + "; COMMENT ON ROLE " + user + " IS E'two\\nlines; a \\\\ and a '' here'");
        pair.source().execute("ALTER ROLE " + user + " SET work_mem = '7MB'");

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.roles());

        assertThat(report.succeeded()).isTrue();
        for (String role : List.of(group, user, odd)) {
            assertThat(authid(pair.target(), role)).as("pg_authid row of %s, password hash included", role)
                    .isNotNull().isEqualTo(authid(pair.source(), role));
            assertThat(memberships(pair.target(), role)).as("memberships of %s", role)
                    .isEqualTo(memberships(pair.source(), role));
        }
        assertThat(authid(pair.target(), user)).contains("3", "two\nlines; a \\ and a ' here")
                .anyMatch(v -> v != null && v.startsWith("SCRAM-SHA-256$"));
        assertThat(memberships(pair.target(), user)).containsExactly(group + "|" + user + "|t");
        assertThat(pair.target().queryForString("SELECT array_to_string(rolconfig, ',') FROM pg_roles"
                + " WHERE rolname = '" + user + "'")).isEqualTo("work_mem=7MB");
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void leavesARoleThatExistsOnTheTargetUnchanged(DatabasePair pair) {
        remember(pair);
        String role = "r_" + System.nanoTime();
        createOnSource(pair, role, "LOGIN CREATEDB PASSWORD 'on-source' CONNECTION LIMIT 2");
        pair.source().execute("ALTER ROLE " + role + " SET work_mem = '7MB'");
        pair.target().execute("CREATE ROLE " + role + " NOLOGIN CONNECTION LIMIT 7");
        targetRoles.add(role);
        List<String> before = authid(pair.target(), role);

        CopyAssertions.copy(pair, new RecordingListener(), b -> b.roles());

        assertThat(authid(pair.target(), role)).as("existing role untouched").isEqualTo(before)
                .isNotEqualTo(authid(pair.source(), role));
        assertThat(pair.target().queryForString("SELECT rolconfig::text FROM pg_roles WHERE rolname = '" + role
                + "'")).as("its settings untouched too").isNull();
    }

    @Test
    void noRolePasswordsCreatesRolesWithoutPassword(DatabasePair pair, @TempDir Path work) {
        remember(pair);
        String role = "r_" + System.nanoTime();
        createOnSource(pair, role, "LOGIN PASSWORD 'secret' CONNECTION LIMIT 4");

        CopyAssertions.copy(pair, new RecordingListener(), b -> b.roles().noRolePasswords().workDirectory(work));

        assertThat(work.resolve("pg_dumpall.log")).as("the tool's log is kept").exists();
        assertThat(work.resolve("roles.sql")).as("the roles script is deleted after the replay").doesNotExist();
        List<String> source = authid(pair.source(), role);
        List<String> target = authid(pair.target(), role);
        assertThat(source.get(9)).as("source password").startsWith("SCRAM-SHA-256$");
        assertThat(target.get(9)).as("target password").isNull();
        assertThat(target.subList(0, 9)).as("other attributes").isEqualTo(source.subList(0, 9));
    }

    private void createOnSource(DatabasePair pair, String role, String options) {
        pair.source().execute("CREATE ROLE " + Sql.quoteIdent(role) + " " + options);
        sourceRoles.add(role);
    }

    /** The role's pg_authid row as text (no OID), with its comment; {@code null} when it does not exist. */
    private static List<String> authid(TestDatabase db, String role) {
        List<List<String>> rows = query(db, AUTHID, role);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** {@code group|member|admin_option} for each group {@code role} belongs to. */
    private static List<String> memberships(TestDatabase db, String role) {
        return query(db, MEMBERSHIPS, role).stream().map(r -> String.join("|", r)).toList();
    }

    private static List<String> roleNames(TestDatabase db) {
        return query(db, "SELECT rolname FROM pg_roles WHERE rolname <> ?", "").stream().map(r -> r.get(0)).toList();
    }

    private static List<List<String>> query(TestDatabase db, String sql, String parameter) {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
