package io.pgcopydb.connection;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Arrays;
import java.util.List;

/**
 * The connection keywords libpq knows (PostgreSQL 18), with the environment variable libpq reads for each and
 * the pgjdbc property that means the same thing.
 *
 * <p>Keywords are accepted even when the installed client tools are older than the keyword: libpq ignores
 * unknown environment variables, and a connection string is only ever handed to child tools through the
 * environment.
 */
enum LibpqKeyword {
    HOST("host", "PGHOST", null, Flag.FIELD),
    HOSTADDR("hostaddr", "PGHOSTADDR", null),
    PORT("port", "PGPORT", null, Flag.FIELD),
    DBNAME("dbname", "PGDATABASE", null, Flag.FIELD),
    USER("user", "PGUSER", null, Flag.FIELD),
    PASSWORD("password", "PGPASSWORD", null, Flag.FIELD, Flag.SECRET),
    PASSFILE("passfile", "PGPASSFILE", null),
    REQUIRE_AUTH("require_auth", "PGREQUIREAUTH", null),
    CHANNEL_BINDING("channel_binding", "PGCHANNELBINDING", "channelBinding", "disable", "prefer", "require"),
    // A service file could silently point child tools and the JDBC connection at different servers.
    SERVICE("service", "PGSERVICE", null, Flag.UNSUPPORTED),
    SERVICEFILE("servicefile", "PGSERVICEFILE", null, Flag.UNSUPPORTED),
    CONNECT_TIMEOUT("connect_timeout", "PGCONNECT_TIMEOUT", "connectTimeout", Flag.INTEGER),
    CLIENT_ENCODING("client_encoding", "PGCLIENTENCODING", null),
    OPTIONS("options", "PGOPTIONS", "options"),
    APPLICATION_NAME("application_name", "PGAPPNAME", "ApplicationName"),
    FALLBACK_APPLICATION_NAME("fallback_application_name", null, "ApplicationName"),
    KEEPALIVES("keepalives", null, "tcpKeepAlive", Flag.INTEGER),
    KEEPALIVES_IDLE("keepalives_idle", null, null, Flag.INTEGER),
    KEEPALIVES_INTERVAL("keepalives_interval", null, null, Flag.INTEGER),
    KEEPALIVES_COUNT("keepalives_count", null, null, Flag.INTEGER),
    TCP_USER_TIMEOUT("tcp_user_timeout", null, null, Flag.INTEGER),
    REPLICATION("replication", null, "replication",
            "true", "on", "yes", "1", "false", "off", "no", "0", "database"),
    SSLMODE("sslmode", "PGSSLMODE", "sslmode",
            "disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
    SSLNEGOTIATION("sslnegotiation", "PGSSLNEGOTIATION", "sslNegotiation", "postgres", "direct"),
    SSLCOMPRESSION("sslcompression", "PGSSLCOMPRESSION", null, "0", "1"),
    SSLCERT("sslcert", "PGSSLCERT", "sslcert"),
    SSLKEY("sslkey", "PGSSLKEY", "sslkey"),
    SSLCERTMODE("sslcertmode", "PGSSLCERTMODE", null, "disable", "allow", "require"),
    SSLPASSWORD("sslpassword", null, "sslpassword", Flag.SECRET),
    SSLROOTCERT("sslrootcert", "PGSSLROOTCERT", "sslrootcert"),
    SSLCRL("sslcrl", "PGSSLCRL", null),
    SSLCRLDIR("sslcrldir", "PGSSLCRLDIR", null),
    SSLSNI("sslsni", "PGSSLSNI", null, "0", "1"),
    SSLKEYLOGFILE("sslkeylogfile", null, null),
    REQUIREPEER("requirepeer", "PGREQUIREPEER", null),
    SSL_MIN_PROTOCOL_VERSION("ssl_min_protocol_version", "PGSSLMINPROTOCOLVERSION", null),
    SSL_MAX_PROTOCOL_VERSION("ssl_max_protocol_version", "PGSSLMAXPROTOCOLVERSION", null),
    MIN_PROTOCOL_VERSION("min_protocol_version", "PGMINPROTOCOLVERSION", null),
    MAX_PROTOCOL_VERSION("max_protocol_version", "PGMAXPROTOCOLVERSION", null),
    GSSENCMODE("gssencmode", "PGGSSENCMODE", "gssEncMode", "disable", "prefer", "require"),
    KRBSRVNAME("krbsrvname", "PGKRBSRVNAME", "kerberosServerName"),
    GSSLIB("gsslib", "PGGSSLIB", "gsslib", "gssapi", "sspi"),
    GSSDELEGATION("gssdelegation", "PGGSSDELEGATION", null, "0", "1"),
    TARGET_SESSION_ATTRS("target_session_attrs", "PGTARGETSESSIONATTRS", "targetServerType",
            "any", "read-write", "read-only", "primary", "standby", "prefer-standby"),
    LOAD_BALANCE_HOSTS("load_balance_hosts", "PGLOADBALANCEHOSTS", "loadBalanceHosts", "disable", "random"),
    SCRAM_CLIENT_KEY("scram_client_key", null, null, Flag.SECRET),
    SCRAM_SERVER_KEY("scram_server_key", null, null, Flag.SECRET),
    OAUTH_ISSUER("oauth_issuer", null, null),
    OAUTH_CLIENT_ID("oauth_client_id", null, null),
    OAUTH_CLIENT_SECRET("oauth_client_secret", null, null, Flag.SECRET),
    OAUTH_SCOPE("oauth_scope", null, null);

    enum Flag { FIELD, SECRET, INTEGER, UNSUPPORTED }

    private static final ImmutableMap<String, LibpqKeyword> BY_NAME;

    static {
        ImmutableMap.Builder<String, LibpqKeyword> b = ImmutableMap.builder();
        for (LibpqKeyword k : values()) {
            b.put(k.keyword, k);
        }
        BY_NAME = b.build();
    }

    private final String keyword;
    private final String envVar;
    private final String jdbcName;
    private final ImmutableList<String> allowed;
    private final boolean field;
    private final boolean secret;
    private final boolean integer;
    private final boolean unsupported;

    LibpqKeyword(String keyword, String envVar, String jdbcName, Object... spec) {
        this.keyword = keyword;
        this.envVar = envVar;
        this.jdbcName = jdbcName;
        List<Object> s = Arrays.asList(spec);
        this.field = s.contains(Flag.FIELD);
        this.secret = s.contains(Flag.SECRET);
        this.integer = s.contains(Flag.INTEGER);
        this.unsupported = s.contains(Flag.UNSUPPORTED);
        this.allowed = s.stream().filter(String.class::isInstance).map(String.class::cast)
                .collect(ImmutableList.toImmutableList());
    }

    /** The keyword, or null when libpq does not know {@code name} (keywords are case-sensitive). */
    static LibpqKeyword forName(String name) {
        return BY_NAME.get(name);
    }

    static ImmutableList<String> names() {
        return BY_NAME.keySet().asList();
    }

    String keyword() {
        return keyword;
    }

    /** The libpq environment variable, or null when libpq has none for this keyword. */
    String envVar() {
        return envVar;
    }

    /** The pgjdbc property with the same meaning, or null when pgjdbc has none. */
    String jdbcName() {
        return jdbcName;
    }

    /** Stored in a dedicated field of ConnectionSpec rather than in its parameter map. */
    boolean isField() {
        return field;
    }

    /** Never written to a URI, a log line or a message. */
    boolean isSecret() {
        return secret;
    }

    boolean isUnsupported() {
        return unsupported;
    }

    /**
     * Checks a value the way libpq would at connect time, so that mistakes show up when the string is parsed.
     *
     * @return null when valid, else the problem (which never repeats the value: it may be a misplaced secret)
     */
    String problemWith(String value) {
        if (integer && parseInt(value) == null) {
            return "invalid value for " + keyword + " (expected an integer)";
        }
        if (!allowed.isEmpty() && !allowed.contains(value)) {
            return "invalid value for " + keyword + " (expected one of: " + String.join(", ", allowed) + ")";
        }
        return null;
    }

    /**
     * The value pgjdbc expects for a (valid) libpq value, or null when pgjdbc should not be told anything
     * (for example {@code replication=false}, pgjdbc's default).
     */
    String jdbcValue(String value) {
        switch (this) {
            case TARGET_SESSION_ATTRS:
                switch (value) {
                    case "read-write":
                    case "primary":
                        return "primary";
                    case "read-only":
                    case "standby":
                        return "secondary";
                    case "prefer-standby":
                        return "preferSecondary";
                    default:
                        return "any";
                }
            case KEEPALIVES:
                return parseInt(value) != 0 ? "true" : "false";
            case LOAD_BALANCE_HOSTS:
                return "random".equals(value) ? "true" : "false";
            case REPLICATION:
                if ("database".equals(value)) {
                    return "database";
                }
                return ImmutableList.of("true", "on", "yes", "1").contains(value) ? "true" : null;
            default:
                return integer ? value.trim() : value;
        }
    }

    /** libpq's integer syntax: optional surrounding whitespace and sign, decimal digits, fits in an int. */
    static Integer parseInt(String value) {
        String t = value.strip();
        if (!t.matches("[+-]?[0-9]{1,10}")) {
            return null;
        }
        long v = Long.parseLong(t);
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (int) v : null;
    }
}
