package io.pgcopydb.connection;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where and how to connect to one PostgreSQL database: hosts and ports, database, user, optional password and
 * other libpq connection parameters.
 *
 * <p>{@link #parse(String)} reads the three spellings people have at hand:
 * <ul>
 *   <li>libpq URIs: {@code postgres://user:password@host:5432/dbname?sslmode=require} (also
 *       {@code postgresql://}; several hosts as {@code h1:5432,h2:5433}; IPv6 as {@code [::1]});</li>
 *   <li>libpq key=value strings: {@code host=localhost port=5432 dbname='my db' user=app};</li>
 *   <li>pgjdbc URLs: {@code jdbc:postgresql://host:5432/dbname?user=app&password=secret}, see also
 *       {@link #jdbc(String, String, String)}.</li>
 * </ul>
 * The rules are libpq's (<a href="https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING">
 * connection strings</a>), with these defaults for what is not given: host {@value #DEFAULT_HOST} (libpq would
 * use a Unix-domain socket, which pgjdbc cannot), port {@value #DEFAULT_PORT}, user the operating-system user
 * ({@code user.name}), database the user name. An empty value means "not given", as in libpq. Connection service
 * files ({@code service=}) are not supported.
 *
 * <p>A spec feeds both sides of a copy: {@link #jdbcUrl()} with {@link #jdbcProperties()} for pgjdbc connections,
 * and {@link #clientEnvironment()} for child processes such as {@code pg_dump}, which thereby never see the
 * password in their arguments. {@link #toUri()} and {@link #toString()} never contain secrets, and neither does the
 * message of any exception thrown here.
 *
 * <p>Instances are immutable and thread-safe; {@link #equals} compares every field.
 */
public final class ConnectionSpec {
    /** The host used when none is given. */
    public static final String DEFAULT_HOST = "localhost";
    /** The port used when none is given. */
    public static final int DEFAULT_PORT = 5432;

    private static final Pattern OTHER_URL =
            Pattern.compile("[a-z][a-z0-9+.-]*://|postgres(ql)?:|jdbc:", Pattern.CASE_INSENSITIVE);
    private static final String EXPECTED = "expected postgres://user@host:port/dbname, key=value pairs,"
            + " or jdbc:postgresql://host:port/dbname";

    /**
     * One server address. {@link #toString()} gives {@code host:port}, with IPv6 addresses in brackets.
     *
     * @param host a host name, IP address (IPv6 without brackets) or Unix-domain socket directory; never empty,
     *     never containing a comma (libpq's host list separator)
     * @param port 1 to 65535
     */
    public record HostPort(String host, int port) {
        /**
         * Checks the arguments.
         *
         * @throws IllegalArgumentException if host is empty or contains a comma or NUL, or port is out of range
         * @throws NullPointerException if host is null
         */
        public HostPort {
            checkNotNull(host, "host");
            checkArgument(!host.isEmpty(), "host must not be empty");
            checkArgument(host.indexOf(',') < 0 && host.indexOf('\0') < 0, "host must not contain a comma or NUL");
            checkArgument(port >= 1 && port <= 65535, "port must be between 1 and 65535, got %s", port);
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final ImmutableList<HostPort> hosts;
    private final String user;
    private final String database;
    private final String password; // null when none
    private final ImmutableSortedMap<String, String> parameters;
    private final ImmutableSortedMap<String, String> jdbcParameters;

    ConnectionSpec(List<HostPort> hosts, String user, String database, String password,
            Map<String, String> parameters, Map<String, String> jdbcParameters) {
        this.hosts = ImmutableList.copyOf(hosts);
        this.user = checkNotNull(user);
        this.database = checkNotNull(database);
        this.password = password;
        this.parameters = ImmutableSortedMap.copyOf(parameters);
        this.jdbcParameters = ImmutableSortedMap.copyOf(jdbcParameters);
        checkArgument(!this.hosts.isEmpty(), "at least one host is needed");
    }

    /**
     * Parses a libpq URI, a libpq key=value string or a pgjdbc URL (see the class comment). Does not read the
     * environment: a spec without a password stays without one even if {@code PGPASSWORD} is set; use
     * {@link #parse(String, Map)} for that.
     *
     * @param connectionString the connection string; whitespace around a URI is ignored
     * @return the spec, with defaults filled in
     * @throws IllegalArgumentException if the string is malformed or names a parameter libpq does not know; the
     *     one-line message names the problem and never contains the password
     * @throws NullPointerException if connectionString is null
     */
    public static ConnectionSpec parse(String connectionString) {
        return parseWith(connectionString, null);
    }

    /**
     * Like {@link #parse(String)}, then, if the string gives no password, takes it from {@code PGPASSWORD} in
     * {@code env}, as libpq would. Nothing else is read from {@code env}. Pass {@code System.getenv()} to behave
     * like a libpq client; pass a map in tests.
     *
     * @param connectionString the connection string; whitespace around a URI is ignored
     * @param env environment variables; only {@code PGPASSWORD} is consulted, and an empty value counts as unset
     * @return the spec, with defaults filled in
     * @throws IllegalArgumentException if the string is malformed (see {@link #parse(String)})
     * @throws NullPointerException if an argument is null
     */
    public static ConnectionSpec parse(String connectionString, Map<String, String> env) {
        return parseWith(connectionString, checkNotNull(env, "env"));
    }

    /**
     * Reads a pgjdbc URL with the user and password given separately, as Testcontainers hands them out
     * ({@code jdbc(c.getJdbcUrl(), c.getUsername(), c.getPassword())}). Non-null, non-empty arguments replace
     * {@code user} and {@code password} parameters in the URL. pgjdbc properties with no libpq equivalent (such as
     * Testcontainers' {@code loggerLevel=OFF}) are kept in {@link #jdbcParameters()}.
     *
     * @param url a {@code jdbc:postgresql:} URL
     * @param user the user name, or null to use the URL's or the default
     * @param password the password, or null to use the URL's or none
     * @return the spec, with defaults filled in
     * @throws IllegalArgumentException if url is not a well-formed pgjdbc URL or names an unknown property; the
     *     message never contains the password
     * @throws NullPointerException if url is null
     */
    public static ConnectionSpec jdbc(String url, String user, String password) {
        checkNotNull(url, "url");
        String trimmed = url.strip();
        if (!JdbcUrlParser.accepts(trimmed)) {
            throw ConnectionDraft.malformed("expected a jdbc:postgresql://host:port/dbname URL");
        }
        ConnectionDraft draft = new ConnectionDraft();
        JdbcUrlParser.parse(trimmed, draft);
        if (user != null && !user.isEmpty()) {
            draft.set("user", user, ConnectionDraft.Source.API);
        }
        if (password != null && !password.isEmpty()) {
            draft.set("password", password, ConnectionDraft.Source.API);
        }
        return draft.build(null);
    }

    private static ConnectionSpec parseWith(String connectionString, Map<String, String> env) {
        checkNotNull(connectionString, "connectionString");
        String s = connectionString.strip();
        ConnectionDraft draft = new ConnectionDraft();
        if (s.isEmpty()) {
            throw ConnectionDraft.malformed("the string is empty (" + EXPECTED + ")");
        } else if (PgUriParser.accepts(s)) {
            PgUriParser.parse(s, draft);
        } else if (JdbcUrlParser.accepts(s)) {
            JdbcUrlParser.parse(s, draft);
        } else if (OTHER_URL.matcher(s).lookingAt()) {
            // Do not mistake another scheme's query string for key=value pairs.
            throw ConnectionDraft.malformed("unsupported URL scheme (" + EXPECTED + ")");
        } else if (s.indexOf('=') >= 0) {
            // Not trimmed: a trailing escaped space ("a=x\\ ") belongs to the value.
            ConninfoParser.parse(connectionString, draft);
        } else {
            throw ConnectionDraft.malformed(EXPECTED);
        }
        return draft.build(env);
    }

    /** All servers, in the order libpq tries them; never empty. */
    public List<HostPort> hosts() {
        return hosts;
    }

    /** The first server's host. */
    public String host() {
        return hosts.get(0).host();
    }

    /** The first server's port. */
    public int port() {
        return hosts.get(0).port();
    }

    /** The database name (defaults to the user name). */
    public String database() {
        return database;
    }

    /** The user name (defaults to the operating-system user). */
    public String user() {
        return user;
    }

    /** The password, if one was given; never read from the environment except by {@link #parse(String, Map)}. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /**
     * The other libpq parameters that were given ({@code sslmode}, {@code application_name}, …), by libpq
     * keyword, sorted; without host, port, dbname, user and password, which have their own accessors.
     */
    public Map<String, String> parameters() {
        return parameters;
    }

    /**
     * pgjdbc properties from a {@code jdbc:postgresql:} URL that have no libpq equivalent (such as
     * {@code loggerLevel} or {@code prepareThreshold}), sorted. They go to {@link #jdbcProperties()} only.
     */
    public Map<String, String> jdbcParameters() {
        return jdbcParameters;
    }

    /**
     * A copy connecting to another database on the same servers.
     *
     * @throws IllegalArgumentException if database is empty or contains NUL
     * @throws NullPointerException if database is null
     */
    public ConnectionSpec withDatabase(String database) {
        checkNotNull(database, "database");
        checkArgument(!database.isEmpty() && database.indexOf('\0') < 0, "database must be non-empty, without NUL");
        return new ConnectionSpec(hosts, user, database, password, parameters, jdbcParameters);
    }

    /**
     * A copy with this password, or without any password when it is null or empty.
     *
     * @throws IllegalArgumentException if password contains NUL
     */
    public ConnectionSpec withPassword(String password) {
        checkArgument(password == null || password.indexOf('\0') < 0, "password must not contain NUL");
        String pw = password == null || password.isEmpty() ? null : password;
        return new ConnectionSpec(hosts, user, database, pw, parameters, jdbcParameters);
    }

    /**
     * A copy with one libpq parameter set, as if it came last in a connection string; a null or empty value
     * unsets it. Works for every keyword, including {@code host} (a comma-separated list), {@code port},
     * {@code user}, {@code password} and {@code dbname}; unsetting one of those restores its default (except
     * that unsetting {@code user} leaves the database name as it is).
     *
     * @param key a libpq keyword, such as {@code sslmode}
     * @param value the value in libpq's syntax
     * @throws IllegalArgumentException if libpq does not know key, or would refuse value
     * @throws NullPointerException if key is null
     */
    public ConnectionSpec withParameter(String key, String value) {
        checkNotNull(key, "key");
        ConnectionDraft draft = ConnectionDraft.of(this, "invalid connection parameter: ");
        draft.set(key, value, ConnectionDraft.Source.API);
        return draft.build(null);
    }

    /**
     * A pgjdbc URL, {@code jdbc:postgresql://host:port[,host:port…]/dbname[?…]}, with the parameters pgjdbc
     * understands under their pgjdbc names: sslmode, sslrootcert, sslcert, sslkey, application_name (or
     * fallback_application_name) → ApplicationName, connect_timeout → connectTimeout, options,
     * target_session_attrs → targetServerType (any → any, read-write and primary → primary, read-only and
     * standby → secondary, prefer-standby → preferSecondary), keepalives → tcpKeepAlive, load_balance_hosts →
     * loadBalanceHosts, channel_binding → channelBinding, gssencmode → gssEncMode, krbsrvname →
     * kerberosServerName, gsslib, sslnegotiation → sslNegotiation, replication. Never contains the user, the
     * password or other secrets: use it together with {@link #jdbcProperties()}. When {@code hostaddr} is set,
     * its addresses are the ones written, since they are what libpq would dial.
     *
     * @throws IllegalStateException if a host is a Unix-domain socket directory or otherwise cannot be written in
     *     a pgjdbc URL (pgjdbc connects over TCP only)
     */
    public String jdbcUrl() {
        return ConnectionFormats.jdbcUrl(this);
    }

    /**
     * Properties for {@code DriverManager.getConnection(jdbcUrl(), jdbcProperties())}: {@code user},
     * {@code password} (when present), the mapped parameters of {@link #jdbcUrl()}, {@code sslpassword} (when
     * present) and {@link #jdbcParameters()}. A new, independent object on every call.
     */
    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        jdbcParameters.forEach(p::setProperty);
        ConnectionFormats.jdbcMapped(this, true).forEach(p::setProperty);
        return p;
    }

    /**
     * libpq environment variables for a child process ({@code pg_dump}, {@code pg_restore}, {@code psql}):
     * PGHOST and PGPORT (comma-separated, one entry per host), PGDATABASE, PGUSER, PGPASSWORD when there is a
     * password, and the variable of every other parameter that has one (PGSSLMODE, PGSSLROOTCERT, PGSSLCERT,
     * PGSSLKEY, PGAPPNAME, PGCONNECT_TIMEOUT, PGOPTIONS, PGTARGETSESSIONATTRS, …). This is how the password should
     * reach child processes: never in their arguments, where other users can read it.
     *
     * <p>Parameters libpq has no environment variable for (keepalives settings, tcp_user_timeout,
     * fallback_application_name, replication, sslpassword, sslkeylogfile, scram and oauth keys) are left out.
     * Inherited {@code PG*} variables still apply to the child unless overridden here, so callers wanting exactly
     * this spec should remove them from the child's environment first.
     *
     * @return an immutable map, in a stable order
     */
    public Map<String, String> clientEnvironment() {
        ImmutableMap.Builder<String, String> env = ImmutableMap.builder();
        env.put("PGHOST", hosts.stream().map(HostPort::host).collect(Collectors.joining(",")));
        env.put("PGPORT", hosts.stream().map(h -> Integer.toString(h.port())).collect(Collectors.joining(",")));
        env.put("PGDATABASE", database);
        env.put("PGUSER", user);
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        parameters.forEach((key, value) -> {
            String var = LibpqKeyword.forName(key).envVar();
            if (var != null) {
                env.put(var, value);
            }
        });
        return env.build();
    }

    /**
     * A libpq URI for logs and messages, {@code postgres://user@host:port/dbname?…}, with every part
     * percent-encoded and all defaults spelled out. Leaves out the password and the other secret parameters
     * (sslpassword and the like) and {@link #jdbcParameters()}; {@code parse(toUri())} gives this spec back
     * without them.
     */
    public String toUri() {
        return ConnectionFormats.uri(this, false);
    }

    /**
     * Like {@link #toUri()}, but shows {@code :****@} where a password is set (and {@code ****} as the value of
     * other secret parameters), so a reader can tell one is there.
     */
    @Override
    public String toString() {
        return ConnectionFormats.uri(this, true);
    }

    /** Equal when every field is: hosts and ports (in order), user, database, password and all parameters. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ConnectionSpec)) {
            return false;
        }
        ConnectionSpec that = (ConnectionSpec) o;
        return hosts.equals(that.hosts) && user.equals(that.user) && database.equals(that.database)
                && Objects.equals(password, that.password) && parameters.equals(that.parameters)
                && jdbcParameters.equals(that.jdbcParameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hosts, user, database, password, parameters, jdbcParameters);
    }
}
