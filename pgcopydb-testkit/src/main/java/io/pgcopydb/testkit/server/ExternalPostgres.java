package io.pgcopydb.testkit.server;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A server the testkit was given by URI ({@code postgres://user[:password]@host[:port][/db]}) and does not own:
 * {@link #close()} leaves it running. The URI's database becomes {@link #maintenanceDatabase()}.
 */
public final class ExternalPostgres implements PostgresServer {
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String maintenanceDatabase;

    private ExternalPostgres(String host, int port, String user, String password, String maintenanceDatabase) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.maintenanceDatabase = maintenanceDatabase;
    }

    /**
     * Parses a libpq-style URI.
     *
     * @throws TestkitException when the URI is not {@code postgres://} or {@code postgresql://} with a host
     */
    public static ExternalPostgres fromUri(String uri) {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new TestkitException("malformed test server URI (expected postgres://user@host:port/db)");
        }
        String scheme = parsed.getScheme();
        if (!("postgres".equals(scheme) || "postgresql".equals(scheme)) || parsed.getHost() == null) {
            throw new TestkitException("test server URI must look like postgres://user@host:port/db");
        }
        String userInfo = Optional.ofNullable(parsed.getRawUserInfo()).orElse("postgres");
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        String path = Optional.ofNullable(parsed.getPath()).orElse("");
        String db = path.length() > 1 ? decode(path.substring(1)) : "postgres";
        return new ExternalPostgres(parsed.getHost(), parsed.getPort() < 0 ? 5432 : parsed.getPort(), user, password, db);
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    @Override
    public String maintenanceDatabase() {
        return maintenanceDatabase;
    }

    @Override
    public void close() {
        // not ours: leave it running
    }

    @Override
    public String toString() {
        return "ExternalPostgres[" + uri(maintenanceDatabase) + "]";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
