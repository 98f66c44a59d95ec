package io.pgcopydb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.fixture.FixtureDatabase;
import io.pgcopydb.fixture.Fixtures;
import io.pgcopydb.junit.FreshDatabaseExtension;
import io.pgcopydb.testkit.sample.Datasets;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.ServerProvider;
import io.pgcopydb.testkit.server.ServerProviders;
import io.pgcopydb.testkit.server.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Twenty tests, each with its own fresh pagila from the fixture pool: every test finds pagila as loaded, then
 * vandalises its copy (all payments deleted, a marker actor added) — the next test must see none of it.
 * Skipped, with the reason, when the pagila dataset is absent.
 *
 * <pre>{@code
 * @RegisterExtension
 * static FreshDatabaseExtension fresh = FreshDatabaseExtension.of(() -> Fixtures.of(PAGILA_URI).poolSize(4));
 *
 * @RepeatedTest(20)
 * void aTest(DataSource db) { … }                 // its own pagila, dropped after the test
 * }</pre>
 */
class FreshPagilaPerTestIT {
    /** The server and the pagila source; registered first, so it outlives the pool and checks what it left. */
    @RegisterExtension
    @Order(1)
    static final PagilaServer SERVER = new PagilaServer();

    @RegisterExtension
    @Order(2)
    static final FreshDatabaseExtension FRESH = FreshDatabaseExtension.of(() -> Fixtures.of(SERVER.pagila)
            .poolSize(4));

    private static final Set<String> USED = ConcurrentHashMap.newKeySet();

    @RepeatedTest(20)
    void eachTestHasItsOwnUntouchedPagila(FixtureDatabase db, DataSource ds) throws SQLException {
        assertThat(USED.add(db.name())).as("a database nobody had before").isTrue();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT count(*) FROM payment")).as("no earlier test's delete")
                    .isEqualTo(Datasets.PAGILA_ROW_COUNTS.get("public.payment"));
            assertThat(count(s, "SELECT count(*) FROM actor WHERE first_name = 'ISOLATION'"))
                    .as("no earlier test's marker").isZero();
            s.execute("DELETE FROM payment");
            s.execute("INSERT INTO actor (first_name, last_name) VALUES ('ISOLATION', 'MARKER')");
            assertThat(count(s, "SELECT count(*) FROM payment")).isZero();
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Starts a throwaway server with pagila; at the end checks that no pool database is left, then stops it. */
    static final class PagilaServer implements BeforeAllCallback, AfterAllCallback {
        private PostgresServer server;
        private ConnectionSpec pagila;

        @Override
        public void beforeAll(ExtensionContext context) {
            Datasets.assumePresent("pagila");
            server = ServerProviders.fromEnvironment().server(ServerProvider.Role.SOURCE);
            server.createDatabase("pagila_fixture");
            Datasets.loadPagila(new TestDatabase(server, "pagila_fixture"));
            pagila = ConnectionSpec.jdbc(server.jdbcUrl("pagila_fixture"), server.user(),
                    server.password().orElse(null));
        }

        @Override
        public void afterAll(ExtensionContext context) throws SQLException {
            if (server == null) {
                return;
            }
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                assertThat(count(s, "SELECT count(*) FROM pg_database WHERE datname ~ '^pgfx_[0-9a-f]{8}_'"))
                        .as("pool databases left after the suite").isZero();
            } finally {
                server.close();
            }
        }
    }
}
