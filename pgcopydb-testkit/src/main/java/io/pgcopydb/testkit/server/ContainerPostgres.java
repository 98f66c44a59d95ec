package io.pgcopydb.testkit.server;

import java.util.Optional;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A server in a Testcontainers-managed Docker container. Only loaded when Testcontainers is on the class path
 * and a Docker engine answers; {@link #close()} stops and removes the container.
 */
final class ContainerPostgres implements PostgresServer {
    static final String DEFAULT_IMAGE = "postgres:15-alpine";

    private final PostgreSQLContainer<?> container;

    private ContainerPostgres(PostgreSQLContainer<?> container) {
        this.container = container;
    }

    @SuppressWarnings("resource") // closed by close()
    static ContainerPostgres start(String image) {
        PostgreSQLContainer<?> c = new PostgreSQLContainer<>(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("postgres"))
                .withUsername("postgres").withPassword("postgres").withDatabaseName("postgres")
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=200");
        c.start();
        return new ContainerPostgres(c);
    }

    static boolean dockerAvailable() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public String user() {
        return container.getUsername();
    }

    @Override
    public Optional<String> password() {
        return Optional.of(container.getPassword());
    }

    @Override
    public void close() {
        container.close();
    }

    @Override
    public String toString() {
        return "ContainerPostgres[" + container.getDockerImageName() + "]";
    }
}
