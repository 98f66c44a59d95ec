package io.pgcopydb.testkit.server;

/**
 * Where test servers come from. {@link ServerProviders#fromEnvironment()} chooses one.
 *
 * <p>Implementations are thread-safe.
 */
public interface ServerProvider {

    /** The role a server plays in a copy test. */
    enum Role { SOURCE, TARGET }

    /** How a provider obtains servers, in the order they are tried. */
    enum Kind { EXTERNAL, TESTCONTAINERS, LOCAL_BINARIES }

    /** What kind of provider this is. */
    Kind kind();

    /**
     * A server for {@code role}. Each call for a provider that starts servers returns a new, separate cluster;
     * the caller closes it.
     */
    PostgresServer server(Role role);
}
