package io.pgcopydb.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;

import io.pgcopydb.connection.ConnectionSpec.HostPort;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.postgresql.Driver;

/**
 * Round trips through the three spellings for awkward values, and the promise that passwords never leak into
 * text meant for people.
 */
class ConnectionSpecPropertiesTest {
    /** Characters with a meaning somewhere in a URI, a key=value string or a JDBC URL, plus non-ASCII text. */
    private static final String AWKWARD = "@:/?#%&= '\\\"[]+;~.-_\téß中☃";

    /** The values a spec is built from; parameters are a valid sslmode and a free-text application name. */
    record Parts(List<HostPort> hosts, String user, String password, String database, String sslmode,
            String appName) {
    }

    @Provide
    Arbitrary<Parts> parts() {
        return parts(text(1, 16));
    }

    @Provide
    Arbitrary<Parts> partsWithPlainPassword() {
        return parts(Arbitraries.strings().alpha().numeric().ofMinLength(8).ofMaxLength(20));
    }

    private static Arbitrary<Parts> parts(Arbitrary<String> passwords) {
        Arbitrary<HostPort> hostPort = Combinators.combine(
                text(1, 12).filter(h -> h.indexOf(',') < 0), Arbitraries.integers().between(1, 65535))
                .as(HostPort::new);
        return Combinators.combine(
                hostPort.list().ofMinSize(1).ofMaxSize(3),
                text(1, 12),
                passwords,
                text(1, 12),
                Arbitraries.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
                text(1, 12))
                .as(Parts::new);
    }

    private static Arbitrary<String> text(int min, int max) {
        return Arbitraries.strings()
                .withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars(AWKWARD)
                .ofMinLength(min).ofMaxLength(max);
    }

    /** Percent-encoding written independently of the code under test (and deliberately over-eager). */
    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String uri(Parts p, boolean bracketAll) {
        String hosts = p.hosts().stream()
                .map(h -> (bracketAll ? "[" + enc(h.host()) + "]" : enc(h.host())) + ":" + h.port())
                .collect(Collectors.joining(","));
        return "postgresql://" + enc(p.user()) + ":" + enc(p.password()) + "@" + hosts + "/" + enc(p.database())
                + "?sslmode=" + p.sslmode() + "&application_name=" + enc(p.appName());
    }

    private static String conninfo(Parts p, boolean quoted) {
        Function<String, String> q = quoted
                ? v -> "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
                : v -> v.replaceAll("([\\\\' \t])", "\\\\$1");
        return "host =" + q.apply(join(p.hosts(), HostPort::host))
                + "\tport= " + q.apply(join(p.hosts(), h -> Integer.toString(h.port())))
                + " user=" + q.apply(p.user())
                + " password = " + q.apply(p.password())
                + " dbname=" + q.apply(p.database())
                + " sslmode=" + q.apply(p.sslmode())
                + " application_name=" + q.apply(p.appName());
    }

    private static String join(List<HostPort> hosts, Function<HostPort, String> f) {
        return hosts.stream().map(f).collect(Collectors.joining(","));
    }

    private static void assertHolds(ConnectionSpec spec, Parts p) {
        assertThat(spec.hosts()).isEqualTo(p.hosts());
        assertThat(spec.user()).isEqualTo(p.user());
        assertThat(spec.password()).contains(p.password());
        assertThat(spec.database()).isEqualTo(p.database());
        assertThat(spec.parameters()).containsOnly(
                entry("sslmode", p.sslmode()), entry("application_name", p.appName()));
    }

    @Property
    void uriWithEncodedPartsParsesBackToTheSameValues(@ForAll("parts") Parts p, @ForAll boolean bracketAll) {
        assertHolds(ConnectionSpec.parse(uri(p, bracketAll)), p);
    }

    @Property
    void quotedOrEscapedKeyValueStringParsesBackToTheSameValues(@ForAll("parts") Parts p, @ForAll boolean quoted) {
        assertHolds(ConnectionSpec.parse(conninfo(p, quoted)), p);
    }

    @Property
    void toUriParsesBackToTheSameSpecOnceThePasswordIsAddedBack(@ForAll("parts") Parts p) {
        ConnectionSpec spec = ConnectionSpec.parse(uri(p, false));

        assertThat(ConnectionSpec.parse(spec.toUri()).withPassword(p.password())).isEqualTo(spec);
        assertThat(ConnectionSpec.parse(spec.toUri()).password()).isEmpty();
    }

    @Property
    void theThreeSpellingsAgree(@ForAll("parts") Parts p) {
        ConnectionSpec fromUri = ConnectionSpec.parse(uri(p, false));

        assertThat(ConnectionSpec.parse(conninfo(p, true))).isEqualTo(fromUri);
        String jdbcUrl = catchJdbcUrl(fromUri);
        if (jdbcUrl != null) {
            assertThat(ConnectionSpec.jdbc(jdbcUrl, p.user(), p.password())).isEqualTo(fromUri);
        }
    }

    @Property
    void textForPeopleNeverContainsThePassword(@ForAll("partsWithPlainPassword") Parts p) {
        Assume.that(!othersContainPassword(p));
        ConnectionSpec spec = ConnectionSpec.parse(uri(p, false));

        assertThat(spec.toString()).doesNotContain(p.password()).contains(":****@");
        assertThat(spec.toUri()).doesNotContain(p.password());
        Throwable jdbcUrlFailure = catchThrowable(spec::jdbcUrl);
        if (jdbcUrlFailure == null) {
            assertThat(spec.jdbcUrl()).doesNotContain(p.password());
        } else {
            assertThat(jdbcUrlFailure).isInstanceOf(IllegalStateException.class);
            assertThat(jdbcUrlFailure.getMessage()).doesNotContain(p.password());
        }
    }

    @Property
    void errorMessagesNeverContainThePassword(@ForAll("partsWithPlainPassword") Parts p) {
        Assume.that(!othersContainPassword(p));
        String pw = p.password();
        String host = enc(p.hosts().get(0).host());
        String cut = pw.substring(0, 3) + " " + pw.substring(3);
        List<String> broken = List.of(
                "postgres://u:" + pw + "@" + host + ":x" + p.hosts().get(0).port() + "/db",
                "postgres://u:" + pw + "@" + host + ":" + (65536 + p.hosts().get(0).port()) + "/db",
                "postgres://u:" + pw + "@" + host + "/db?sslmod=" + p.sslmode(),
                "postgres://u:" + pw + "@" + host + "/db?sslmode=" + p.sslmode() + "x",
                "postgres://u:" + pw + "@" + host + "/db?application_name=" + enc(p.appName()) + "=",
                "postgres://u:" + pw + "%G0@" + host + "/db",
                "postgres://u:" + pw + "@[" + host + "/db",
                "postgres://u:x" + pw.substring(0, 4) + "/" + pw.substring(4) + "@" + host + "/db",
                "host=h password='" + pw,
                "host=h password=" + cut,
                "host=h password=" + pw + " sslmode=" + p.sslmode() + "x",
                "sslmode= password=" + pw,
                "sslmode=" + pw,
                "connect_timeout=" + pw + "x",
                "port=" + pw + "x",
                "passwrd=" + pw,
                "host=a,b port=1,2,3 password=" + pw,
                "jdbc:postgresql://u:" + pw + "@h/db",
                "jdbc:postgresql://h/db?password=" + pw + "&ApplicationNam=x",
                "jdbc:postgresql://h/db?password=" + pw + "&targetServerType=" + pw,
                "jdbc:postgresql://h:" + pw + "x/db",
                "mysql://u:" + pw + "@h/db",
                pw);
        for (String input : broken) {
            Throwable t = catchThrowable(() -> ConnectionSpec.parse(input));
            assertThat(t).as(input).isInstanceOf(IllegalArgumentException.class);
            assertThat(t.getMessage()).as(input).doesNotContain(pw).doesNotContain("\n");
        }
        Throwable t = catchThrowable(() -> ConnectionSpec.jdbc("jdbc:postgresql://h:x/db", "u", pw));
        assertThat(t.getMessage()).doesNotContain(pw);
    }

    @Property
    void pgjdbcReadsJdbcUrlBackToTheSameDatabaseHostsAndParameters(
            @ForAll("parts") Parts p, @ForAll("hostNames") List<String> hostNames) {
        ConnectionSpec spec = ConnectionSpec.parse(uri(p, false))
                .withParameter("port", "6000")
                .withParameter("host", String.join(",", hostNames));

        Properties read = Driver.parseURL(spec.jdbcUrl(), null);

        assertThat(read).isNotNull();
        assertThat(read.getProperty("PGHOST")).isEqualTo(hostNames.stream()
                .map(h -> h.contains(":") ? "[" + h + "]" : h).collect(Collectors.joining(",")));
        assertThat(read.getProperty("PGPORT")).isEqualTo(hostNames.stream().map(h -> "6000")
                .collect(Collectors.joining(",")));
        assertThat(read.getProperty("PGDBNAME")).isEqualTo(p.database());
        assertThat(read.getProperty("ApplicationName")).isEqualTo(p.appName());
        assertThat(read.getProperty("sslmode")).isEqualTo(p.sslmode());
    }

    @Provide
    Arbitrary<List<String>> hostNames() {
        Arbitrary<String> dns = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars(".-")
                .ofMinLength(1).ofMaxLength(20);
        return Arbitraries.oneOf(dns, Arbitraries.of("::1", "fe80::1", "10.0.0.1", "2001:db8::5"))
                .list().ofMinSize(1).ofMaxSize(3);
    }

    /** A generated user name (say) that happens to contain the password would show up legitimately. */
    private static boolean othersContainPassword(Parts p) {
        return (p.user() + p.database() + p.appName() + p.hosts()).contains(p.password());
    }

    private static String catchJdbcUrl(ConnectionSpec spec) {
        try {
            return spec.jdbcUrl();
        } catch (IllegalStateException e) {
            return null; // the host cannot be written in a pgjdbc URL, e.g. it contains a space
        }
    }

}
