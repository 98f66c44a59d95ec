package io.pgcopydb.junit;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.fixture.FixtureDatabase;
import io.pgcopydb.fixture.FixturePool;
import io.pgcopydb.fixture.Fixtures;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Gives each test its own fresh fixture database, taken from a {@link FixturePool} started on first use and
 * closed after the class: a {@link FixtureDatabase}, {@link ConnectionSpec} or {@link DataSource} parameter of a
 * test method, {@code @BeforeEach} or {@code @AfterEach} method (all of one test get the same database). The
 * database is given back — dropped — after the test, whether it passed or failed; on an interrupted JVM the pool's
 * shutdown hook drops what is left, and after a killed one the next pool reclaims it.
 *
 * <pre>{@code
 * class OrderServiceTest {
 *     @RegisterExtension
 *     static FreshDatabaseExtension db = FreshDatabaseExtension.of(() -> Fixtures.of(FIXTURE_URI).poolSize(4));
 *
 *     @Test
 *     void placesAnOrder(DataSource fresh) { … }
 * }
 * }</pre>
 *
 * <p>{@link #perClass()} gives one database to all the tests of a class instead. Thread-safe for parallel test
 * execution.
 */
public final class FreshDatabaseExtension implements ParameterResolver, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(FreshDatabaseExtension.class);

    private final Supplier<Fixtures.Builder> fixtures;
    private final boolean perClass;
    private FixturePool pool;

    private FreshDatabaseExtension(Supplier<Fixtures.Builder> fixtures, boolean perClass) {
        this.fixtures = fixtures;
        this.perClass = perClass;
    }

    /**
     * An extension whose pool is {@code fixtures.get().start()}, called once, when the first test asks: the
     * supplier may read what a {@code @BeforeAll} or another extension set up.
     */
    public static FreshDatabaseExtension of(Supplier<Fixtures.Builder> fixtures) {
        return new FreshDatabaseExtension(Objects.requireNonNull(fixtures, "fixtures"), false);
    }

    /** The same pool, one database shared by all the tests of the class (given back after the class). */
    public FreshDatabaseExtension perClass() {
        return new FreshDatabaseExtension(fixtures, true);
    }

    /** The pool, once a test has asked for a database. */
    public synchronized FixturePool pool() {
        if (pool == null) {
            pool = fixtures.get().start();
        }
        return pool;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == FixtureDatabase.class || type == ConnectionSpec.class || type == DataSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext owner = perClass ? classContext(context) : context;
        FixtureDatabase db = owner.getStore(NAMESPACE).getOrComputeIfAbsent(Handout.class,
                k -> new Handout(pool().take()), Handout.class).database();
        Class<?> type = parameter.getParameter().getType();
        if (type == FixtureDatabase.class) {
            return db;
        }
        if (type == ConnectionSpec.class) {
            return db.spec();
        }
        return dataSource(db.spec());
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    /** A pgjdbc {@code PGSimpleDataSource}: no pool, a new connection per {@code getConnection()}. */
    private static DataSource dataSource(ConnectionSpec spec) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(spec.jdbcUrl());
        Properties props = spec.jdbcProperties();
        ds.setUser(props.getProperty("user"));
        String password = props.getProperty("password");
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        FixturePool started;
        synchronized (this) {
            started = pool;
            pool = null;
        }
        if (started != null) {
            started.close();
        }
    }

    /**
     * A database handed to a test (or class), given back when JUnit closes the store: after it, pass or fail.
     * AutoCloseable for JUnit 5.13 on, CloseableResource for the older ones (closing twice does nothing).
     */
    private record Handout(FixtureDatabase database) implements ExtensionContext.Store.CloseableResource,
            AutoCloseable {
        @Override
        public void close() {
            database.close();
        }
    }
}
