package io.pgcopydb.examples;

import io.pgcopydb.CopyReport;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.connection.ConnectionSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Copies a database from one Testcontainers {@code PostgreSQLContainer} to another: a shared fixture cloned into a
 * test's own server. The library takes a container's JDBC URL and credentials as they are
 * ({@link ConnectionSpec#jdbc}); the target database does not exist yet and is created shaped like the source.
 * Two servers, so the copy is streamed ({@code CopyReport.strategy()} says so).
 *
 * <p>Needs a Docker engine: {@link #main} says why it skips when none answers.
 */
public final class TestcontainersCopyExample {
    private TestcontainersCopyExample() {
    }

    /** Why this example cannot run here, or empty when a Docker engine answers. */
    public static Optional<String> skipReason() {
        try {
            return DockerClientFactory.instance().isDockerAvailable() ? Optional.empty()
                    : Optional.of("no Docker engine answers (Testcontainers found none)");
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("no Docker engine: " + e.getMessage());
        }
    }

    /**
     * Starts two containers, fills one, copies it into a new database of the other and prints the report's
     * strategy and row count.
     *
     * @param args ignored
     * @throws Exception when a container or the copy fails
     */
    public static void main(String[] args) throws Exception {
        Optional<String> skip = skipReason();
        if (skip.isPresent()) {
            System.out.println("skipped: " + skip.get());
            return;
        }
        try (PostgreSQLContainer<?> shared = new PostgreSQLContainer<>("postgres:15");
             PostgreSQLContainer<?> mine = new PostgreSQLContainer<>("postgres:15")) {
            shared.start();
            mine.start();
            try (Connection c = DriverManager.getConnection(shared.getJdbcUrl(), shared.getUsername(),
                    shared.getPassword()); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE item (id int PRIMARY KEY, name text)");
                s.execute("INSERT INTO item SELECT g, 'item ' || g FROM generate_series(1, 1000) g");
            }
            ConnectionSpec source = ConnectionSpec.jdbc(shared.getJdbcUrl(), shared.getUsername(),
                    shared.getPassword());
            ConnectionSpec target = ConnectionSpec.jdbc(mine.getJdbcUrl(), mine.getUsername(), mine.getPassword())
                    .withDatabase("fixture_copy");
            CopyReport report = DatabaseCopy.from(source).to(target).run();
            System.out.println("copied " + report.totalRows() + " rows: " + report.strategy());
        }
    }
}
