package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pgcopydb.compare.Difference;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.Sql;
import io.pgcopydb.testkit.server.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ALTER DATABASE … SET} and {@code ALTER ROLE … IN DATABASE … SET} come across, or are skipped loudly. */
@ExtendWith(PostgresPairExtension.class)
class DatabaseSettingsIT {
    private static final String SEARCH_PATH = "\"$user\", public, \"Odd Schema\"";

    private final List<Runnable> cleanUp = new ArrayList<>();

    @AfterEach
    void dropRoles() {
        cleanUp.forEach(Runnable::run);
    }

    @Test
    void copiesDatabaseAndRoleInDatabaseSettings(DatabasePair pair) {
        String role = role(pair, "r", true);
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
        setSourceSettings(pair, role);

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b);

        assertThat(report.succeeded()).isTrue();
        assertThat(settings(pair.target())).containsExactlyInAnyOrder("|work_mem=12MB",
                "|search_path=" + SEARCH_PATH, "|myapp.tenant=x", role + "|statement_timeout=5s");
        CopyAssertions.assertIdentical(pair);

        pair.target().execute("ALTER DATABASE " + Sql.quoteIdent(pair.target().name()) + " SET work_mem = '13MB'");
        assertThat(CopyAssertions.compare(pair).differences()).as("the comparison sees a setting that differs")
                .extracting(Difference::object, Difference::aspect, Difference::source, Difference::target)
                .containsExactly(tuple("database setting work_mem", "value", Optional.of("12MB"),
                        Optional.of("13MB")));
    }

    @Test
    void skipsTheSettingOfARoleMissingOnTheTargetWithAWarning(DatabasePair pair) {
        String present = role(pair, "r", true);
        String missing = role(pair, "gone", false);
        setSourceSettings(pair, present);
        pair.source().execute("ALTER ROLE " + missing + " IN DATABASE " + Sql.quoteIdent(pair.source().name())
                + " SET lock_timeout = '3s'");

        CopyReport[] report = new CopyReport[1];
        String log = LogCapture.capture(() -> report[0] = CopyAssertions.copy(pair, new RecordingListener(), b -> b));

        String warning = "skipped setting lock_timeout=3s of role " + missing + " in the database: role " + missing
                + " does not exist on the target";
        assertThat(log).contains("WARN").contains(warning);
        assertThat(report[0].warnings()).as("not only a log line").containsExactly(warning);
        assertThat(report[0].toJson()).contains("\"warnings\":[\"" + warning + "\"]");
        assertThat(settings(pair.target())).containsExactlyInAnyOrder("|work_mem=12MB",
                "|search_path=" + SEARCH_PATH, "|myapp.tenant=x", present + "|statement_timeout=5s");
        assertThat(CopyAssertions.compare(pair).differences())
                .extracting(Difference::object, Difference::aspect, Difference::target)
                .containsExactly(tuple("role " + missing + " setting lock_timeout", "exists", Optional.empty()));
    }

    @Test
    void skipDbPropertiesLeavesTheTargetsSettingsAlone(DatabasePair pair) {
        String role = role(pair, "r", true);
        setSourceSettings(pair, role);

        CopyAssertions.copy(pair, new RecordingListener(), b -> b.skipDbProperties());

        assertThat(settings(pair.target())).as("with skipDbProperties").isEmpty();
        assertThat(CopyAssertions.compare(pair).differences()).filteredOn(Difference::missingOnTarget)
                .extracting(Difference::object)
                .contains("database setting work_mem", "role " + role + " setting statement_timeout");

        // the source has no relations, so the target is still empty enough for a second copy
        CopyAssertions.copy(pair, new RecordingListener(), b -> b);

        assertThat(settings(pair.target())).as("without skipDbProperties").containsExactlyInAnyOrder(
                "|work_mem=12MB", "|search_path=" + SEARCH_PATH, "|myapp.tenant=x", role + "|statement_timeout=5s");
    }

    private static void setSourceSettings(DatabasePair pair, String role) {
        String db = Sql.quoteIdent(pair.source().name());
        pair.source().execute("ALTER DATABASE " + db + " SET work_mem = '12MB'");
        pair.source().execute("ALTER DATABASE " + db + " SET search_path = " + SEARCH_PATH);
        pair.source().execute("ALTER DATABASE " + db + " SET myapp.tenant = 'x'");
        pair.source().execute("ALTER ROLE " + role + " IN DATABASE " + db + " SET statement_timeout = '5s'");
    }

    /** A new role on the source, and on the target too when {@code onTarget}; dropped on both after the test. */
    private String role(DatabasePair pair, String prefix, boolean onTarget) {
        String name = prefix + "_" + System.nanoTime();
        pair.source().execute("CREATE ROLE " + name);
        cleanUp.add(() -> pair.source().execute("DROP ROLE IF EXISTS " + name));
        if (onTarget) {
            pair.target().execute("CREATE ROLE " + name);
        }
        cleanUp.add(() -> pair.target().execute("DROP ROLE IF EXISTS " + name));
        return name;
    }

    /** {@code role|name=value} per setting of the database; an empty role for the database's own. */
    private static List<String> settings(TestDatabase db) {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(r.rolname, ''), unnest(s.setconfig)"
                     + " FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole"
                     + " WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
