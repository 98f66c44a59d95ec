package io.pgcopydb.testkit.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;

/**
 * One database on a test server. A value: it does not own a connection.
 *
 * @param server the server holding the database
 * @param name the database name
 */
public record TestDatabase(PostgresServer server, String name) {

    /** Validates both parts. */
    public TestDatabase {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(name, "name");
    }

    /** A libpq URI for this database, without a password. */
    public String uri() {
        return server.uri(name);
    }

    /** A pgjdbc URL for this database, without a password. */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** A new connection as the server's admin user; the caller closes it. */
    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** Runs SQL statements (no psql meta-commands). */
    public void execute(String sql) {
        server.execute(name, sql);
    }

    /** First column of the first row of {@code query}, or {@code null}. */
    public String queryForString(String query) {
        return server.queryForString(name, query);
    }

    /** {@code queryForString} parsed as a long. */
    public long queryForLong(String query) {
        return Long.parseLong(queryForString(query));
    }

    /** Loads a SQL script through psql ({@code ON_ERROR_STOP=1}). */
    public void loadSqlFile(Path file) {
        server.loadSqlFile(name, file);
    }

    /** Loads a SQL script through psql ({@code ON_ERROR_STOP=1}) with psql variables ({@code -v name=value}). */
    public void loadSqlFile(Path file, Map<String, String> variables) {
        server.loadSqlFile(name, file, variables);
    }

    /** Loads a generated sample database ({@code SampleDatabase}, or any other {@link DatabaseContent}). */
    public void load(DatabaseContent sample) {
        try (Connection c = connect()) {
            sample.loadInto(c);
        } catch (SQLException e) {
            throw new TestkitException("loading the sample database into " + name + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return uri();
    }
}
