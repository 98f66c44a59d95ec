package io.pgcopydb.connection;

import com.google.common.base.Joiner;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mutable working state of one parse (or one {@code with…} call): raw libpq keyword values as they arrive,
 * in any order and with later values replacing earlier ones, as libpq does. {@link #build} then applies libpq's
 * defaults and the host/port pairing rules. Confined to one thread.
 */
final class ConnectionDraft {
    static final String PARSE_PREFIX = "malformed connection string: ";
    static final String DOCS = "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS";

    /** Where a keyword came from, to name it the way the user wrote it. */
    enum Source {
        URI("URI parameter"),
        CONNINFO("keyword"),
        JDBC("JDBC URL parameter"),
        API("libpq parameter");

        final String noun;

        Source(String noun) {
            this.noun = noun;
        }
    }

    /** Other spellings people reach for, mapped to the libpq keyword they mean. */
    private static final ImmutableMap<String, String> ALIASES = aliases();

    private final String prefix;
    private String hosts;
    private String ports;
    private String user;
    private String password;
    private String dbname;
    private final Map<String, String> params = new TreeMap<>();
    private final Map<String, String> jdbcParams = new TreeMap<>();
    private String portHint = "";

    ConnectionDraft() {
        this(PARSE_PREFIX);
    }

    private ConnectionDraft(String prefix) {
        this.prefix = prefix;
    }

    /** A draft holding everything {@code spec} holds, for deriving a modified copy. */
    static ConnectionDraft of(ConnectionSpec spec, String prefix) {
        ConnectionDraft d = new ConnectionDraft(prefix);
        d.hosts = Joiner.on(',').join(spec.hosts().stream().map(ConnectionSpec.HostPort::host).iterator());
        // One port for all hosts when they share it, so that a new host list of another length still fits.
        d.ports = spec.hosts().stream().map(h -> Integer.toString(h.port())).distinct().count() == 1
                ? Integer.toString(spec.port())
                : Joiner.on(',').join(spec.hosts().stream().map(ConnectionSpec.HostPort::port).iterator());
        d.user = spec.user();
        d.dbname = spec.database();
        d.password = spec.password().orElse(null);
        d.params.putAll(spec.parameters());
        d.jdbcParams.putAll(spec.jdbcParameters());
        return d;
    }

    /**
     * Sets one libpq keyword; an empty value unsets it (libpq treats an empty value as "use the default").
     *
     * @throws IllegalArgumentException for an unknown keyword or a value libpq would refuse
     */
    void set(String key, String value, Source source) {
        LibpqKeyword kw = LibpqKeyword.forName(key);
        if (kw == null) {
            throw fail(unknownKey(key, source));
        }
        if (kw.isUnsupported()) {
            throw fail("\"" + key + "\" is not supported: connection service files are not read here,"
                    + " so give host, port, dbname and user instead");
        }
        String v = value == null || value.isEmpty() ? null : value;
        if (v != null && v.indexOf('\0') >= 0) {
            throw fail("NUL character in the value of " + key);
        }
        switch (kw) {
            case HOST:
                hosts = v;
                return;
            case PORT:
                ports = v;
                return;
            case USER:
                user = v;
                return;
            case PASSWORD:
                password = v;
                return;
            case DBNAME:
                dbname = v;
                return;
            default:
                break;
        }
        if (v == null) {
            params.remove(key);
        } else {
            String problem = kw.problemWith(v);
            if (problem != null) {
                throw fail(problem);
            }
            params.put(key, v);
        }
        // A libpq keyword now decides this pgjdbc property; a pass-through value would contradict it.
        if (kw.jdbcName() != null) {
            jdbcParams.remove(kw.jdbcName());
        }
    }

    boolean has(LibpqKeyword kw) {
        switch (kw) {
            case HOST:
                return hosts != null;
            case PORT:
                return ports != null;
            case USER:
                return user != null;
            case PASSWORD:
                return password != null;
            case DBNAME:
                return dbname != null;
            default:
                return params.containsKey(kw.keyword());
        }
    }

    /** A pgjdbc property with no libpq equivalent, kept only for {@link ConnectionSpec#jdbcProperties()}. */
    void setJdbcOnly(String name, String value) {
        jdbcParams.put(name, value);
    }

    /** Appended to port errors: for URIs, a bad port is usually an unencoded character in the password. */
    void portHint(String hint) {
        this.portHint = hint;
    }

    /**
     * Applies libpq's defaults: host localhost (libpq's own default is a Unix socket, which pgjdbc cannot use),
     * port 5432, user the OS user, dbname the user; and the password from {@code PGPASSWORD} in {@code env}
     * when none was given and {@code env} is not null.
     */
    ConnectionSpec build(Map<String, String> env) {
        String hostaddr = params.get(LibpqKeyword.HOSTADDR.keyword());
        List<String> hostList = new ArrayList<>(split(hosts != null ? hosts : hostaddr != null ? hostaddr : ""));
        hostList.replaceAll(h -> h.isEmpty() ? ConnectionSpec.DEFAULT_HOST : h);
        if (hostaddr != null && split(hostaddr).size() != hostList.size()) {
            throw fail("could not match " + count(hostList.size(), "host name") + " to "
                    + count(split(hostaddr).size(), "hostaddr value") + " (give one hostaddr per host)");
        }
        List<String> portList = split(ports != null ? ports : "");
        if (portList.size() != 1 && portList.size() != hostList.size()) {
            throw fail("could not match " + count(portList.size(), "port number") + " to "
                    + count(hostList.size(), "host") + " (give one port for all hosts, or one per host)");
        }
        ImmutableList.Builder<ConnectionSpec.HostPort> pairs = ImmutableList.builder();
        for (int i = 0; i < hostList.size(); i++) {
            String p = portList.get(portList.size() == 1 ? 0 : i);
            pairs.add(new ConnectionSpec.HostPort(hostList.get(i), parsePort(p)));
        }
        String u = user;
        if (u == null) {
            u = System.getProperty("user.name");
            if (u == null || u.isEmpty()) {
                throw fail("no user name given and the operating-system user name is unknown (add user=...)");
            }
        }
        String pw = password;
        if (pw == null && env != null) {
            String fromEnv = env.get("PGPASSWORD");
            pw = fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
        }
        return new ConnectionSpec(pairs.build(), u, dbname != null ? dbname : u, pw, params, jdbcParams);
    }

    private int parsePort(String p) {
        if (p.isBlank()) {
            return ConnectionSpec.DEFAULT_PORT;
        }
        Integer port = LibpqKeyword.parseInt(p);
        if (port == null || port < 1 || port > 65535) {
            throw fail("invalid port number (expected an integer between 1 and 65535" + portHint + ")");
        }
        return port;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static List<String> split(String list) {
        return Arrays.asList(list.split(",", -1));
    }

    IllegalArgumentException fail(String problem) {
        return new IllegalArgumentException(prefix + problem);
    }

    /** For the parsers, which always report in parse terms. */
    static IllegalArgumentException malformed(String problem) {
        return new IllegalArgumentException(PARSE_PREFIX + problem);
    }

    static String unknownKey(String key, Source source) {
        String suggestion = ALIASES.get(key.toLowerCase(Locale.ROOT));
        if (suggestion == null) {
            suggestion = closest(key, LibpqKeyword.names());
        }
        return "unknown " + source.noun + " " + quote(key)
                + (suggestion != null ? " (did you mean " + suggestion + "?)" : " (see " + DOCS + ")");
    }

    /**
     * Quotes text taken from the input for a one-line message: control characters become '?', and long text is
     * cut short. Only keys ever go through here; values are never repeated, as a misplaced one may be a secret.
     */
    static String quote(String untrusted) {
        StringBuilder b = new StringBuilder("\"");
        untrusted.codePoints().limit(40).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.append(untrusted.codePointCount(0, untrusted.length()) > 40 ? "…\"" : "\"").toString();
    }

    /** The candidate nearest to {@code key} by edit distance (ignoring case), if it is near enough to be a typo. */
    static String closest(String key, Iterable<String> candidates) {
        String lower = key.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, Math.min(3, key.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(lower, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return bestDistance <= limit ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static ImmutableMap<String, String> aliases() {
        Map<String, String> m = new TreeMap<>();
        for (LibpqKeyword k : LibpqKeyword.values()) {
            if (k.jdbcName() != null && k != LibpqKeyword.FALLBACK_APPLICATION_NAME) {
                m.put(k.jdbcName().toLowerCase(Locale.ROOT), k.keyword());
            }
        }
        m.put("database", "dbname");
        m.put("db", "dbname");
        m.put("username", "user");
        m.put("pass", "password");
        m.put("passwd", "password");
        m.put("pwd", "password");
        m.put("ssl", "sslmode");
        m.put("appname", "application_name");
        m.put("timeout", "connect_timeout");
        m.put("hostname", "host");
        m.put("server", "host");
        return ImmutableMap.copyOf(m);
    }
}
