package io.pgcopydb.testkit.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A running PostgreSQL server that tests can connect to.
 *
 * <p>Implementations are thread-safe. {@link #close()} stops a server this kit started and removes its files;
 * for a server it was merely given (an external URI) it does nothing. The superuser-level account returned by
 * {@link #user()} can create and drop databases.
 */
public interface PostgresServer extends AutoCloseable {

    /** Host name or address clients connect to. */
    String host();

    /** TCP port clients connect to. */
    int port();

    /** Role used for administration and, by default, by tests. */
    String user();

    /** Password of {@link #user()}, if the server needs one. */
    Optional<String> password();

    /** Database used for administrative statements ({@code CREATE DATABASE}); usually {@code postgres}. */
    default String maintenanceDatabase() {
        return "postgres";
    }

    /** Directory holding this server's client tools ({@code psql}, {@code pg_dump}), when known. */
    default Optional<Path> binDirectory() {
        return Optional.empty();
    }

    /** A libpq URI ({@code postgres://user@host:port/db}) for {@code database}; never contains the password. */
    default String uri(String database) {
        return "postgres://" + Urls.encode(user()) + "@" + host() + ":" + port() + "/" + Urls.encode(database);
    }

    /** A pgjdbc URL for {@code database}; never contains the password. */
    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + Urls.encode(database);
    }

    /** Opens a new connection to {@code database} as {@link #user()}; the caller closes it. */
    default Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user());
        password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("ApplicationName", "pgcopydb-testkit");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** Runs {@code sql} (one or more statements, no psql meta-commands) in {@code database}. */
    default void execute(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new TestkitException("SQL failed in database " + database + ": " + e.getMessage(), e);
        }
    }

    /** Returns the first column of the first row of {@code query}, or {@code null} when there is no row. */
    default String queryForString(String database, String query) {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new TestkitException("query failed in database " + database + ": " + e.getMessage(), e);
        }
    }

    /** Creates an empty database named {@code name}. */
    default void createDatabase(String name) {
        execute(maintenanceDatabase(), "CREATE DATABASE " + Sql.quoteIdent(name));
    }

    /** Drops {@code name} if it exists, terminating sessions still connected to it. */
    default void dropDatabase(String name) {
        if (serverVersionNum() >= 130000) {
            execute(maintenanceDatabase(), "DROP DATABASE IF EXISTS " + Sql.quoteIdent(name) + " WITH (FORCE)");
            return;
        }
        // PostgreSQL 12 has no WITH (FORCE): keep new sessions out, end the open ones, then drop.
        String literal = Sql.quoteLiteral(name);
        execute(maintenanceDatabase(), "UPDATE pg_database SET datallowconn = false WHERE datname = " + literal
                + "; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " + literal);
        execute(maintenanceDatabase(), "DROP DATABASE IF EXISTS " + Sql.quoteIdent(name));
    }

    /**
     * Creates login role {@code name} whose TCP connections must give {@code password} (stored as SCRAM-SHA-256).
     * The role has no other attribute: grant what the test needs. It lives as long as the server; drop it when
     * done on a server the kit does not own.
     *
     * <p>This default only creates the role, which suffices on servers that already ask every TCP connection
     * for a password (Docker images, most external servers); servers the kit starts with {@code trust}
     * authentication also get a {@code pg_hba.conf} line for the role.
     *
     * @param name a plain lower-case identifier ({@code [a-z_][a-z0-9_]*})
     * @throws IllegalArgumentException when {@code name} is not a plain identifier
     */
    default void createPasswordRole(String name, String password) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("role name must match [a-z_][a-z0-9_]*, was " + name);
        }
        execute(maintenanceDatabase(), "SET password_encryption = 'scram-sha-256'; CREATE ROLE " + name
                + " LOGIN PASSWORD " + Sql.quoteLiteral(password));
    }

    /** {@code server_version_num}, e.g. {@code 150008}. */
    default int serverVersionNum() {
        return Integer.parseInt(queryForString(maintenanceDatabase(), "SHOW server_version_num"));
    }

    /**
     * Runs a SQL script file through {@code psql -v ON_ERROR_STOP=1}, so {@code COPY … FROM stdin} blocks and
     * meta-commands work as they do for a person.
     *
     * @throws TestkitException when psql fails; the message carries psql's error output
     */
    default void loadSqlFile(String database, Path file) {
        Psql.forServer(this).runFile(database, file);
    }

    /**
     * Like {@link #loadSqlFile(String, Path)}, with psql variables ({@code -v name=value}) the script reads as
     * {@code :name}, {@code :'name'} or {@code :"name"}.
     *
     * @throws IllegalArgumentException when a variable name is not a plain identifier
     * @throws TestkitException when psql fails; the message carries psql's error output
     */
    default void loadSqlFile(String database, Path file, Map<String, String> variables) {
        Psql.forServer(this).runFile(database, file, variables);
    }

    /** Environment for client tools run against this server ({@code PGPASSWORD} when there is one). */
    default Map<String, String> clientEnvironment() {
        return password().map(p -> Map.of("PGPASSWORD", p)).orElse(Map.of());
    }

    /** Stops the server if this kit started it, and removes its files. Idempotent. */
    @Override
    void close();
}
