package io.pgcopydb.connection;

import java.util.Locale;

/**
 * Parses libpq connection URIs, {@code postgres[ql]://[user[:password]@][host][:port][,...][/dbname][?k=v&...]},
 * following libpq's {@code conninfo_uri_parse}: the user part ends at the first {@code @} before any {@code /};
 * IPv6 hosts go in brackets; every part is percent-decoded (and {@code +} is not a space); query keys are libpq
 * keywords and override the parts before them; {@code ssl=true} means {@code sslmode=require}.
 */
final class PgUriParser {
    private static final String HOST_END = ":/?,";
    private static final String PORT_END = "/?,";
    private static final String ENCODE_HINT =
            "; percent-encode characters such as / @ : ? in the user name and password, e.g. / as %2F";

    private PgUriParser() {
    }

    static boolean accepts(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.startsWith("postgresql://") || lower.startsWith("postgres://");
    }

    static void parse(String uri, ConnectionDraft draft) {
        int start = uri.toLowerCase(Locale.ROOT).startsWith("postgresql://") ? 13 : 11;
        int n = uri.length();
        int p = start;
        while (p < n && uri.charAt(p) != '@' && uri.charAt(p) != '/') {
            p++;
        }
        if (p < n && uri.charAt(p) == '@') {
            String credentials = uri.substring(start, p);
            int colon = credentials.indexOf(':');
            String user = colon < 0 ? credentials : credentials.substring(0, colon);
            draft.set("user", PercentCoding.decode(user, false, "the URI user name"), ConnectionDraft.Source.URI);
            if (colon >= 0) {
                String password = PercentCoding.decode(credentials.substring(colon + 1), false, "the URI password");
                draft.set("password", password, ConnectionDraft.Source.URI);
            }
            p++;
        } else {
            p = start;
        }

        StringBuilder hosts = new StringBuilder();
        StringBuilder ports = new StringBuilder();
        char terminator;
        while (true) {
            if (p < n && uri.charAt(p) == '[') {
                int hostStart = ++p;
                while (p < n && uri.charAt(p) != ']') {
                    p++;
                }
                if (p >= n) {
                    throw ConnectionDraft.malformed("missing \"]\" after the IPv6 address at position " + hostStart
                            + " in the URI");
                }
                if (p == hostStart) {
                    throw ConnectionDraft.malformed("empty IPv6 address at position " + hostStart + " in the URI");
                }
                hosts.append(uri, hostStart, p);
                p++;
                if (p < n && HOST_END.indexOf(uri.charAt(p)) < 0) {
                    throw ConnectionDraft.malformed("unexpected character at position " + (p + 1)
                            + " in the URI (expected \":\", \"/\", \"?\" or \",\" after an IPv6 address)");
                }
            } else {
                int hostStart = p;
                while (p < n && HOST_END.indexOf(uri.charAt(p)) < 0) {
                    p++;
                }
                hosts.append(uri, hostStart, p);
            }
            terminator = p < n ? uri.charAt(p) : 0;
            if (terminator == ':') {
                int portStart = ++p;
                while (p < n && PORT_END.indexOf(uri.charAt(p)) < 0) {
                    p++;
                }
                String port = uri.substring(portStart, p);
                if (!port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw ConnectionDraft.malformed("invalid port number in the URI (expected an integer between"
                            + " 1 and 65535" + ENCODE_HINT + ")");
                }
                ports.append(port);
                terminator = p < n ? uri.charAt(p) : 0;
            }
            if (terminator != ',') {
                break;
            }
            p++;
            hosts.append(',');
            ports.append(',');
        }
        if (hosts.length() > 0) {
            draft.set("host", PercentCoding.decode(hosts.toString(), false, "the URI host"),
                    ConnectionDraft.Source.URI);
        }
        if (ports.length() > 0) {
            draft.set("port", ports.toString(), ConnectionDraft.Source.URI);
        }
        draft.portHint(ENCODE_HINT);

        if (terminator == '/') {
            int dbStart = ++p;
            while (p < n && uri.charAt(p) != '?') {
                p++;
            }
            String dbname = uri.substring(dbStart, p);
            // An empty path means "the default", as in libpq, not a database named "".
            if (!dbname.isEmpty()) {
                draft.set("dbname", PercentCoding.decode(dbname, false, "the URI database name"),
                        ConnectionDraft.Source.URI);
            }
            terminator = p < n ? '?' : 0;
        }
        if (terminator == '?') {
            parseQuery(uri, p + 1, draft);
        }
    }

    private static void parseQuery(String uri, int from, ConnectionDraft draft) {
        int n = uri.length();
        int p = from;
        while (p < n) {
            int paramStart = p;
            int eq = -1;
            while (p < n && uri.charAt(p) != '&') {
                if (uri.charAt(p) == '=') {
                    if (eq >= 0) {
                        throw ConnectionDraft.malformed("extra \"=\" in the URI parameter at position "
                                + (paramStart + 1) + " (percent-encode = in values as %3D)");
                    }
                    eq = p;
                }
                p++;
            }
            if (eq < 0) {
                throw ConnectionDraft.malformed("missing \"=\" in the URI parameter at position " + (paramStart + 1)
                        + " (write parameters as ?key=value&key=value)");
            }
            String key = PercentCoding.decode(uri.substring(paramStart, eq), false, "a URI parameter name");
            String value = PercentCoding.decode(uri.substring(eq + 1, p), false, "a URI parameter value");
            // libpq's concession to JDBC habits.
            if (key.equals("ssl") && value.equals("true")) {
                key = "sslmode";
                value = "require";
            }
            draft.set(key, value, ConnectionDraft.Source.URI);
            if (p < n) {
                p++;
            }
        }
    }
}
