package io.pgcopydb.examples;

import io.pgcopydb.CopyReport;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.sample.SampleDatabase;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.ServerProvider;
import io.pgcopydb.testkit.server.ServerProviders;
import io.pgcopydb.testkit.server.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a test suite gives every test a fresh copy of a fixture database: load the fixture once, then clone it
 * into a new database per test with the library, and drop the clones at the end.
 *
 * <pre>{@code
 * class OrderServiceTest {
 *     static FixtureCloneExample clones;
 *     ConnectionSpec db;
 *
 *     @BeforeAll static void fixture() {
 *         clones = new FixtureCloneExample(ConnectionSpec.parse("postgres://test@db-host/fixture"));
 *     }
 *
 *     @BeforeEach void freshDatabase(TestInfo test) {
 *         db = clones.freshCopy("t_" + test.getTestMethod().orElseThrow().getName().toLowerCase());
 *     }
 *
 *     @AfterAll static void dropClones() {
 *         clones.close();
 *     }
 * }
 * }</pre>
 *
 * <p>On one server the library copies by {@code CREATE DATABASE … TEMPLATE fixture} ({@code Strategy.AUTO}); when
 * someone is connected to the fixture, or the clones live on another server, it streams instead, and the report
 * says which ran. For a pool of clones made ahead of time, see {@code io.pgcopydb.fixture.Fixtures}. Run {@link #main} to see it work on a throwaway server.
 *
 * <p>Thread-safe: tests running in parallel may call {@link #freshCopy} at once (with different names).
 */
public final class FixtureCloneExample implements AutoCloseable {
    private final ConnectionSpec fixture;
    private final List<String> clones = new ArrayList<>();

    /**
     * Clones of {@code fixture}, created on the same server.
     *
     * @param fixture the database every test starts from; it is only read
     */
    public FixtureCloneExample(ConnectionSpec fixture) {
        this.fixture = Objects.requireNonNull(fixture, "fixture");
    }

    /**
     * Creates database {@code name} and copies the fixture into it.
     *
     * @param name the new database's name, on the fixture's server
     * @return the connection to the new database
     * @throws io.pgcopydb.PgCopyException when the copy fails
     * @throws io.pgcopydb.PgCopyException also when the database cannot be created (for instance, it exists)
     */
    public ConnectionSpec freshCopy(String name) {
        ConnectionSpec clone = fixture.withDatabase(name);
        synchronized (clones) {
            clones.add(name);
        }
        // The library creates the database: on the fixture's server by CREATE DATABASE … TEMPLATE when nobody is
        // connected to the fixture, else streamed (two jobs are plenty for a fixture, and no VACUUM per test).
        CopyReport report = DatabaseCopy.from(fixture).to(clone).jobs(2).indexJobs(2).skipVacuum().run();
        System.out.println(name + ": " + report.strategy());
        return clone;
    }

    /** Drops every database {@link #freshCopy} created, disconnecting sessions still using them. */
    @Override
    public void close() {
        List<String> names;
        synchronized (clones) {
            names = List.copyOf(clones);
            clones.clear();
        }
        for (String name : names) {
            execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
        }
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(fixture.jdbcUrl(), fixture.jdbcProperties());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + fixture + ": " + e.getMessage(), e);
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * Starts a throwaway server, loads a small sample as the fixture, clones it for two "tests", changes one
     * clone and shows that the other (and the fixture) did not change.
     *
     * @param args ignored
     * @throws SQLException when a query of the demonstration fails
     */
    public static void main(String[] args) throws SQLException {
        try (PostgresServer server = ServerProviders.fromEnvironment().server(ServerProvider.Role.SOURCE)) {
            server.createDatabase("fixture");
            TestDatabase fixtureDb = new TestDatabase(server, "fixture");
            fixtureDb.load(SampleDatabase.of(0.01));
            ConnectionSpec fixture = ConnectionSpec.parse(fixtureDb.uri())
                    .withPassword(server.password().orElse(null));

            try (FixtureCloneExample clones = new FixtureCloneExample(fixture)) {
                ConnectionSpec first = clones.freshCopy("test_first");
                ConnectionSpec second = clones.freshCopy("test_second");
                System.out.println("customers in the first clone:  " + count(first));
                execute(first, "DELETE FROM shop.order_lines; DELETE FROM shop.orders; DELETE FROM shop.customers");
                System.out.println("after the first test emptied its clone:");
                System.out.println("  first clone:  " + count(first));
                System.out.println("  second clone: " + count(second));
                System.out.println("  fixture:      " + count(fixture));
            }
        }
    }

    private static long count(ConnectionSpec db) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
             Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM shop.customers")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(ConnectionSpec db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
