package io.pgcopydb.cli;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A server given by a {@link ConnectionSpec}, seen through the testkit's {@link PostgresServer} so that the
 * testkit's sample loader and comparison work on real servers. Connections use the spec's JDBC URL and
 * properties (so {@code sslmode} and the like apply), child tools its libpq environment. {@link #close()} leaves
 * the server alone: it is not ours.
 */
final class ConnectionSpecServer implements PostgresServer {
    private final ConnectionSpec spec;

    private ConnectionSpecServer(ConnectionSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** The database {@code spec} names, on its server. */
    static TestDatabase database(ConnectionSpec spec) {
        return new TestDatabase(new ConnectionSpecServer(spec), spec.database());
    }

    @Override
    public String host() {
        return spec.host();
    }

    @Override
    public int port() {
        return spec.port();
    }

    @Override
    public String user() {
        return spec.user();
    }

    @Override
    public Optional<String> password() {
        return spec.password();
    }

    @Override
    public String maintenanceDatabase() {
        return spec.database();
    }

    @Override
    public String uri(String database) {
        return spec.withDatabase(database).toUri();
    }

    @Override
    public String jdbcUrl(String database) {
        return spec.withDatabase(database).jdbcUrl();
    }

    @Override
    public Connection connect(String database) throws SQLException {
        ConnectionSpec target = spec.withDatabase(database);
        return DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
    }

    @Override
    public Map<String, String> clientEnvironment() {
        return spec.clientEnvironment();
    }

    @Override
    public void close() {
        // not ours: leave it running
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
