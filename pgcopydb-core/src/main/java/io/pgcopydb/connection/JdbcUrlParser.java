package io.pgcopydb.connection;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.postgresql.PGProperty;

/**
 * Parses pgjdbc URLs, {@code jdbc:postgresql://host[:port][,...]/[dbname][?k=v&...]} and
 * {@code jdbc:postgresql:dbname}, following pgjdbc's {@code Driver.parseURL}: hosts are taken literally, the
 * database name and parameter values are URL-decoded ({@code +} is a space), parameter names are pgjdbc property
 * names. Properties with a libpq equivalent become libpq keywords; other pgjdbc properties (Testcontainers adds
 * {@code loggerLevel=OFF}) are kept as JDBC-only parameters; names pgjdbc does not know are an error.
 */
final class JdbcUrlParser {
    static final String PREFIX = "jdbc:postgresql:";

    /** pgjdbc property → libpq keyword, for those whose values mean the same (or are translated below). */
    private static final ImmutableMap<String, String> TO_LIBPQ = toLibpq();

    private JdbcUrlParser() {
    }

    static boolean accepts(String s) {
        return s.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    static void parse(String url, ConnectionDraft draft) {
        int q = url.indexOf('?');
        String server = url.substring(PREFIX.length(), q < 0 ? url.length() : q);
        if (server.startsWith("//")) {
            parseServer(server.substring(2), draft);
        } else if (!server.isEmpty()) {
            if (server.indexOf('/') >= 0) {
                throw ConnectionDraft.malformed("expected jdbc:postgresql://host:port/dbname or"
                        + " jdbc:postgresql:dbname");
            }
            setDbname(server, draft);
        }
        if (q >= 0) {
            parseQuery(url.substring(q + 1), draft);
        }
    }

    private static void parseServer(String server, ConnectionDraft draft) {
        int slash = server.indexOf('/');
        String hostPart = slash < 0 ? server : server.substring(0, slash);
        if (slash >= 0) {
            String dbname = server.substring(slash + 1);
            if (dbname.indexOf('/') >= 0) {
                throw ConnectionDraft.malformed("too many \"/\" in the JDBC URL (percent-encode / in the database"
                        + " name as %2F)");
            }
            setDbname(dbname, draft);
        }
        if (hostPart.indexOf('@') >= 0) {
            // pgjdbc would take "user:password@host" as a host name; say so rather than fail to connect later.
            throw ConnectionDraft.malformed("a JDBC URL takes the user and password as ?user=...&password=..."
                    + " parameters, not before the host");
        }
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (String address : hostPart.split(",", -1)) {
            String host = address;
            String port = "";
            int colon = address.lastIndexOf(':');
            if (address.startsWith("[")) {
                int close = address.indexOf(']');
                if (close < 0 || (close + 1 < address.length() && address.charAt(close + 1) != ':')) {
                    throw ConnectionDraft.malformed("malformed IPv6 address in the JDBC URL (expected [address]:port)");
                }
                host = address.substring(1, close);
                port = close + 1 < address.length() ? address.substring(close + 2) : "";
            } else if (colon >= 0) {
                host = address.substring(0, colon);
                port = address.substring(colon + 1);
            }
            if (address.endsWith(":")) {
                throw ConnectionDraft.malformed("empty port number in the JDBC URL (remove the \":\" or add a port)");
            }
            hosts.add(host);
            ports.add(port);
        }
        draft.set("host", String.join(",", hosts), ConnectionDraft.Source.JDBC);
        draft.set("port", String.join(",", ports), ConnectionDraft.Source.JDBC);
    }
    private static void setDbname(String raw, ConnectionDraft draft) {
        draft.set("dbname", PercentCoding.decode(raw, true, "the JDBC URL database name"),
                ConnectionDraft.Source.JDBC);
    }

    private static void parseQuery(String query, ConnectionDraft draft) {
        boolean ssl = false;
        for (String token : query.split("&")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            String name = eq < 0 ? token : token.substring(0, eq);
            String value = eq < 0 ? "" : PercentCoding.decode(token.substring(eq + 1), true,
                    "a JDBC URL parameter value");
            if (name.equals("ssl")) {
                // pgjdbc: ssl=true (or a bare "ssl") without sslmode means verify-full.
                ssl = value.isEmpty() || value.equalsIgnoreCase("true");
                continue;
            }
            String keyword = TO_LIBPQ.get(name);
            if (keyword == null) {
                if (PGProperty.forName(name) == null) {
                    throw ConnectionDraft.malformed(unknown(name));
                }
                draft.setJdbcOnly(name, value);
                continue;
            }
            String libpqValue = toLibpqValue(name, value);
            if (libpqValue == null) {
                draft.setJdbcOnly(name, value);
            } else {
                draft.set(keyword, libpqValue, ConnectionDraft.Source.JDBC);
            }
        }
        if (ssl && !draft.has(LibpqKeyword.SSLMODE)) {
            draft.set("sslmode", "verify-full", ConnectionDraft.Source.JDBC);
        }
    }

    /**
     * Translates a pgjdbc value to libpq's spelling; null when libpq has no equivalent value (the property is
     * then passed to pgjdbc as it is).
     */
    private static String toLibpqValue(String name, String value) {
        switch (name) {
            case "targetServerType":
                switch (value) {
                    case "any":
                        return "any";
                    case "primary":
                    case "master":
                        return "primary";
                    case "secondary":
                    case "slave":
                        return "standby";
                    case "preferSecondary":
                    case "preferSlave":
                        return "prefer-standby";
                    case "preferPrimary":
                        return null;
                    default:
                        throw ConnectionDraft.malformed("invalid value for targetServerType (expected one of: any,"
                                + " primary, secondary, preferSecondary, preferPrimary)");
                }
            case "tcpKeepAlive":
                return bool(name, value) ? "1" : "0";
            case "loadBalanceHosts":
                return bool(name, value) ? "random" : "disable";
            case "replication":
                if (value.equals("database") || value.equals("true")) {
                    return value;
                }
                if (value.equals("false")) {
                    return "";
                }
                throw ConnectionDraft.malformed("invalid value for replication (expected database, true or false)");
            case "gssEncMode":
                return value.equals("allow") ? null : value;
            case "gsslib":
                return value.equals("auto") ? null : value;
            default:
                return value;
        }
    }

    private static boolean bool(String name, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return value.equalsIgnoreCase("true");
        }
        throw ConnectionDraft.malformed("invalid value for " + name + " (expected true or false)");
    }

    private static String unknown(String name) {
        LibpqKeyword kw = LibpqKeyword.forName(name);
        if (kw != null && kw.jdbcName() == null) {
            return "libpq parameter " + ConnectionDraft.quote(name) + " has no pgjdbc equivalent (use a"
                    + " postgres:// URI or key=value pairs to pass it)";
        }
        // Someone writing libpq keywords into a JDBC URL: point at the pgjdbc spelling.
        String suggestion = kw != null ? kw.jdbcName() : ConnectionDraft.closest(name,
                Arrays.stream(PGProperty.values()).map(PGProperty::getName).collect(Collectors.toList()));
        return "unknown JDBC URL parameter " + ConnectionDraft.quote(name)
                + (suggestion != null ? " (did you mean " + suggestion + "?)"
                        : " (see https://jdbc.postgresql.org/documentation/use/)");
    }

    private static ImmutableMap<String, String> toLibpq() {
        Map<String, String> m = Arrays.stream(LibpqKeyword.values())
                .filter(k -> k.jdbcName() != null && k != LibpqKeyword.FALLBACK_APPLICATION_NAME)
                .collect(Collectors.toMap(LibpqKeyword::jdbcName, LibpqKeyword::keyword));
        m.put("user", "user");
        m.put("password", "password");
        m.put("PGHOST", "host");
        m.put("PGPORT", "port");
        m.put("PGDBNAME", "dbname");
        return ImmutableMap.copyOf(m);
    }
}
