package io.pgcopydb.testkit.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Chooses where test servers come from, in this order:
 * <ol>
 *   <li>{@link ServerProvider.Kind#EXTERNAL}: both {@code PGCOPYDB_TEST_SOURCE_URI} and
 *       {@code PGCOPYDB_TEST_TARGET_URI} are set;</li>
 *   <li>{@link ServerProvider.Kind#TESTCONTAINERS}: Testcontainers is on the class path and a Docker engine
 *       answers;</li>
 *   <li>{@link ServerProvider.Kind#LOCAL_BINARIES}: otherwise ({@code initdb} + {@code pg_ctl}).</li>
 * </ol>
 */
public final class ServerProviders {
    /** Environment variable naming the external source server. */
    public static final String SOURCE_URI_VARIABLE = "PGCOPYDB_TEST_SOURCE_URI";
    /** Environment variable naming the external target server. */
    public static final String TARGET_URI_VARIABLE = "PGCOPYDB_TEST_TARGET_URI";
    /** Environment variable naming the Docker image used with Testcontainers. */
    public static final String IMAGE_VARIABLE = "PGCOPYDB_TEST_IMAGE";

    private ServerProviders() {
    }

    /** The provider for this process's environment. */
    public static ServerProvider fromEnvironment() {
        return select(System.getenv(), ServerProviders::dockerAnswers);
    }

    /**
     * The provider for {@code env}, asking {@code dockerAnswers} only when no external pair is configured.
     *
     * @throws TestkitException when only one of the two external URIs is set (a half-configured pair is a
     *     mistake, not a reason to silently start local servers)
     */
    public static ServerProvider select(Map<String, String> env, BooleanSupplier dockerAnswers) {
        String source = blankToNull(env.get(SOURCE_URI_VARIABLE));
        String target = blankToNull(env.get(TARGET_URI_VARIABLE));
        if (source != null && target != null) {
            return new External(source, target);
        }
        if (source != null || target != null) {
            throw new TestkitException("only one of " + SOURCE_URI_VARIABLE + " and " + TARGET_URI_VARIABLE
                    + " is set: set both to use external servers, or neither");
        }
        if (dockerAnswers.getAsBoolean()) {
            return new Containers(env.getOrDefault(IMAGE_VARIABLE, ContainerPostgres.DEFAULT_IMAGE));
        }
        return new Local(env);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static boolean dockerAnswers() {
        // Cheap checks first: asking Testcontainers without a socket costs seconds of retries.
        boolean socket = Files.exists(Path.of("/var/run/docker.sock")) || System.getenv("DOCKER_HOST") != null;
        if (!socket) {
            return false;
        }
        try {
            Class.forName("org.testcontainers.DockerClientFactory");
        } catch (ClassNotFoundException e) {
            return false;
        }
        return ContainerPostgres.dockerAvailable();
    }

    private record External(String sourceUri, String targetUri) implements ServerProvider {
        @Override
        public Kind kind() {
            return Kind.EXTERNAL;
        }

        @Override
        public PostgresServer server(Role role) {
            return ExternalPostgres.fromUri(role == Role.SOURCE ? sourceUri : targetUri);
        }

        @Override
        public String toString() {
            return "external servers from " + SOURCE_URI_VARIABLE + " / " + TARGET_URI_VARIABLE;
        }
    }

    private record Containers(String image) implements ServerProvider {
        @Override
        public Kind kind() {
            return Kind.TESTCONTAINERS;
        }

        @Override
        public PostgresServer server(Role role) {
            return ContainerPostgres.start(image);
        }
    }

    private record Local(Map<String, String> env) implements ServerProvider {
        @Override
        public Kind kind() {
            return Kind.LOCAL_BINARIES;
        }

        @Override
        public PostgresServer server(Role role) {
            return LocalPostgres.start(PostgresBinaries.locate(env));
        }

        @Override
        public String toString() {
            return "local binaries";
        }
    }
}
