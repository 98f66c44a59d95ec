package io.pgcopydb.connection;

import io.pgcopydb.connection.ConnectionSpec.HostPort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How a {@link ConnectionSpec} is written out: as a pgjdbc URL and as a libpq URI for people to read. */
final class ConnectionFormats {
    private ConnectionFormats() {
    }

    /** {@link ConnectionSpec#jdbcUrl()}. */
    static String jdbcUrl(ConnectionSpec spec) {
        List<HostPort> hosts = spec.hosts();
        Map<String, String> parameters = spec.parameters();
        List<String> dial = parameters.containsKey("hostaddr")
                ? List.of(parameters.get("hostaddr").split(",", -1))
                : hosts.stream().map(HostPort::host).collect(Collectors.toList());
        StringBuilder url = new StringBuilder("jdbc:postgresql://");
        for (int i = 0; i < hosts.size(); i++) {
            url.append(i == 0 ? "" : ",").append(jdbcHost(dial.get(i).isEmpty() ? hosts.get(i).host() : dial.get(i), i))
                    .append(':').append(hosts.get(i).port());
        }
        url.append('/').append(PercentCoding.encode(spec.database()));
        String sep = "?";
        for (Map.Entry<String, String> e : jdbcMapped(spec, false).entrySet()) {
            url.append(sep).append(e.getKey()).append('=').append(PercentCoding.encode(e.getValue()));
            sep = "&";
        }
        return url.toString();
    }

    private static String jdbcHost(String host, int index) {
        if (host.startsWith("/") || host.startsWith("@")) {
            throw new IllegalStateException("host #" + (index + 1) + " is a Unix-domain socket, which pgjdbc cannot"
                    + " use: connect over TCP (host=localhost) instead");
        }
        boolean ipv6 = host.indexOf(':') >= 0;
        if (!host.chars().allMatch(c -> c > ' ' && "/?@,[]".indexOf(c) < 0)) {
            throw new IllegalStateException("host #" + (index + 1) + " contains characters a pgjdbc URL cannot"
                    + " carry (space, /, ?, @, comma or brackets)");
        }
        return ipv6 ? "[" + host + "]" : host;
    }

    /** The parameters pgjdbc understands, under pgjdbc names and values; secrets only when asked for. */
    static Map<String, String> jdbcMapped(ConnectionSpec spec, boolean withSecrets) {
        Map<String, String> parameters = spec.parameters();
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            LibpqKeyword kw = LibpqKeyword.forName(e.getKey());
            if (kw.jdbcName() == null || (kw.isSecret() && !withSecrets)
                    || (kw == LibpqKeyword.FALLBACK_APPLICATION_NAME && parameters.containsKey("application_name"))) {
                continue;
            }
            String value = kw.jdbcValue(e.getValue());
            if (value != null) {
                out.put(kw.jdbcName(), value);
            }
        }
        return out;
    }

    /** {@link ConnectionSpec#toUri()} without masks, {@link ConnectionSpec#toString()} with them. */
    static String uri(ConnectionSpec spec, boolean showMasks) {
        List<HostPort> hosts = spec.hosts();
        StringBuilder b = new StringBuilder("postgres://").append(PercentCoding.encode(spec.user()));
        if (showMasks && spec.password().isPresent()) {
            b.append(":****");
        }
        b.append('@');
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i).host();
            b.append(i == 0 ? "" : ",")
                    .append(host.indexOf(':') >= 0 ? "[" + PercentCoding.encode(host, ":") + "]"
                            : PercentCoding.encode(host))
                    .append(':').append(hosts.get(i).port());
        }
        b.append('/').append(PercentCoding.encode(spec.database()));
        String sep = "?";
        for (Map.Entry<String, String> e : spec.parameters().entrySet()) {
            boolean secret = LibpqKeyword.forName(e.getKey()).isSecret();
            if (secret && !showMasks) {
                continue;
            }
            b.append(sep).append(e.getKey()).append('=')
                    .append(secret ? "****" : PercentCoding.encode(e.getValue()));
            sep = "&";
        }
        return b.toString();
    }
}
