package io.pgcopydb.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.fixture.FixtureDatabase;
import io.pgcopydb.fixture.Fixtures;
import io.pgcopydb.testkit.server.LocalPostgres;
import io.pgcopydb.testkit.server.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;

/**
 * Runs a small suite using the extension through the JUnit launcher, then checks what it cannot check itself:
 * every test had its own database, a failing test's database was dropped too, and nothing is left on the server.
 */
class FreshDatabaseExtensionIT {
    static PostgresServer server;
    static final Set<String> seen = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() {
        server = LocalPostgres.start();
        server.createDatabase("fixture");
        server.execute("fixture", "CREATE TABLE note (id int PRIMARY KEY, body text)");
        server.execute("fixture", "INSERT INTO note VALUES (1, 'fixture')");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static ConnectionSpec spec(String database) {
        return ConnectionSpec.jdbc(server.jdbcUrl(database), server.user(), server.password().orElse(null));
    }

    static List<String> databases(String regex) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname ~ '" + regex + "'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void eachTestGetsItsOwnDatabaseAndNoneIsLeftEvenAfterAFailure() throws Exception {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Suite.class)).build(),
                summary);

        TestExecutionSummary result = summary.getSummary();
        assertThat(result.getTestsSucceededCount()).as("passing tests").isEqualTo(5);
        assertThat(result.getTestsFailedCount()).as("the test failing on purpose").isEqualTo(1);
        assertThat(seen).as("one database per test").hasSize(6);
        assertThat(databases("^pgfx_[0-9a-f]{8}_")).as("pool databases after the suite").isEmpty();
        assertThat(databases("^pgfx_t_")).as("the template, kept for the next run").hasSize(1);
    }

    /** The suite the launcher runs; not run on its own (a nested class). */
    static class Suite {
        @RegisterExtension
        static FreshDatabaseExtension fresh = FreshDatabaseExtension.of(() -> Fixtures.of(spec("fixture"))
                .poolSize(2));

        private ConnectionSpec before;

        @BeforeEach
        void remember(ConnectionSpec db) {
            before = db;
        }

        @RepeatedTest(4)
        void writesAreNotSeenByTheNextTest(FixtureDatabase db, DataSource ds) throws Exception {
            assertThat(db.spec()).as("@BeforeEach and the test share the database").isEqualTo(before);
            seen.add(db.name());
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM note")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("only the fixture's row").isEqualTo(1);
                }
                s.execute("INSERT INTO note VALUES (2, 'written by a test')");
            }
        }

        @Test
        void failsOnPurpose(FixtureDatabase db) {
            seen.add(db.name());
            throw new AssertionError("on purpose: its database must still be dropped");
        }

        @Test
        void dataSourceWorks(DataSource ds) throws Exception {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_database()")) {
                rs.next();
                seen.add(rs.getString(1));
            }
        }
    }
}
