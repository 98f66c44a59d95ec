package io.pgcopydb.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.pgcopydb.connection.ConnectionSpec.HostPort;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.Driver;

class ConnectionSpecTest {
    private static final String OS_USER = System.getProperty("user.name");

    @Nested
    class Uris {
        @Test
        void parsesEveryPart() {
            ConnectionSpec spec = ConnectionSpec.parse(
                    "postgres://app:secret@db.example.com:5433/shop?sslmode=require&application_name=pgcopydb");

            assertThat(spec.hosts()).containsExactly(new HostPort("db.example.com", 5433));
            assertThat(spec.host()).isEqualTo("db.example.com");
            assertThat(spec.port()).isEqualTo(5433);
            assertThat(spec.user()).isEqualTo("app");
            assertThat(spec.password()).contains("secret");
            assertThat(spec.database()).isEqualTo("shop");
            assertThat(spec.parameters())
                    .containsExactly(entry("application_name", "pgcopydb"), entry("sslmode", "require"));
        }

        @Test
        void acceptsBothSchemesInAnyCase() {
            ConnectionSpec expected = ConnectionSpec.parse("postgres://u@h/d");

            assertThat(ConnectionSpec.parse("postgresql://u@h/d")).isEqualTo(expected);
            assertThat(ConnectionSpec.parse("  PostgreSQL://u@h/d\n")).isEqualTo(expected);
        }

        @Test
        void percentDecodesEveryPart() {
            ConnectionSpec spec = ConnectionSpec.parse(
                    "postgres://us%40er:p%40ss@h%6Fst/d%20b?application_name=caf%C3%A9%20%26%20bar");

            assertThat(spec.user()).isEqualTo("us@er");
            assertThat(spec.password()).contains("p@ss");
            assertThat(spec.host()).isEqualTo("host");
            assertThat(spec.database()).isEqualTo("d b");
            assertThat(spec.parameters()).containsEntry("application_name", "café & bar");
        }

        @Test
        void keepsPlusSignsAndColonsInPasswords() {
            // libpq decodes URIs without the form-encoding rule, so + is a plus; the password runs to the @.
            ConnectionSpec spec = ConnectionSpec.parse("postgres://u:a+b:c@h/d+e");

            assertThat(spec.password()).contains("a+b:c");
            assertThat(spec.database()).isEqualTo("d+e");
        }

        @Test
        void readsIpv6Literals() {
            ConnectionSpec spec = ConnectionSpec.parse("postgres://u@[::1]:5433/db");

            assertThat(spec.hosts()).containsExactly(new HostPort("::1", 5433));
            assertThat(spec.toUri()).isEqualTo("postgres://u@[::1]:5433/db");
            assertThat(spec.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/db");
            assertThat(spec.clientEnvironment()).containsEntry("PGHOST", "::1");
        }

        @Test
        void readsIpv6LiteralsWithZoneAndNoPort() {
            ConnectionSpec spec = ConnectionSpec.parse("postgres://u@[fe80::1%25eth0]/db");

            assertThat(spec.hosts()).containsExactly(new HostPort("fe80::1%eth0", 5432));
            assertThat(ConnectionSpec.parse(spec.toUri())).isEqualTo(spec);
        }

        @Test
        void readsSeveralHosts() {
            ConnectionSpec spec = ConnectionSpec.parse("postgres://u@h1:5432,h2:5433,[::1]/db");

            assertThat(spec.hosts()).containsExactly(
                    new HostPort("h1", 5432), new HostPort("h2", 5433), new HostPort("::1", 5432));
            assertThat(spec.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433,[::1]:5432/db");
            assertThat(spec.clientEnvironment())
                    .containsEntry("PGHOST", "h1,h2,::1")
                    .containsEntry("PGPORT", "5432,5433,5432");
        }

        @Test
        void givesHostsWithoutPortTheDefaultPort() {
            assertThat(ConnectionSpec.parse("postgres://h1,h2:5433/db").hosts())
                    .containsExactly(new HostPort("h1", 5432), new HostPort("h2", 5433));
        }

        @Test
        void letsQueryParametersOverrideThePath() {
            ConnectionSpec spec = ConnectionSpec.parse("postgres://u@h:1/d?host=other&port=7&dbname=x&user=v");

            assertThat(spec.hosts()).containsExactly(new HostPort("other", 7));
            assertThat(spec.database()).isEqualTo("x");
            assertThat(spec.user()).isEqualTo("v");
        }

        @Test
        void readsSslTrueAsSslmodeRequireLikeLibpq() {
            assertThat(ConnectionSpec.parse("postgres://h/db?ssl=true").parameters())
                    .containsExactly(entry("sslmode", "require"));
        }

        @Test
        void fillsDefaultsForMissingParts() {
            ConnectionSpec spec = ConnectionSpec.parse("postgres://");

            assertThat(spec.hosts()).containsExactly(new HostPort("localhost", 5432));
            assertThat(spec.user()).isEqualTo(OS_USER);
            assertThat(spec.database()).isEqualTo(OS_USER);
            assertThat(spec.password()).isEmpty();
        }

        @Test
        void defaultsTheDatabaseToTheUser() {
            assertThat(ConnectionSpec.parse("postgres://alice@h/").database()).isEqualTo("alice");
            assertThat(ConnectionSpec.parse("postgres://alice@h").database()).isEqualTo("alice");
        }

        @Test
        void readsUnixSocketDirectories() {
            ConnectionSpec spec = ConnectionSpec.parse("postgresql://%2Fvar%2Frun%2Fpostgresql/db");

            assertThat(spec.host()).isEqualTo("/var/run/postgresql");
            assertThat(spec.clientEnvironment()).containsEntry("PGHOST", "/var/run/postgresql");
            assertThatThrownBy(spec::jdbcUrl)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Unix-domain socket");
        }

        @Test
        void handlesNonAsciiText() {
            ConnectionSpec spec = ConnectionSpec.parse("postgres://%E2%98%83:%F0%9F%98%80@h/%E4%B8%AD");

            assertThat(spec.user()).isEqualTo("☃");
            assertThat(spec.password()).contains("😀");
            assertThat(spec.database()).isEqualTo("中");
        }
    }

    @Nested
    class KeyValueStrings {
        @Test
        void parsesQuotedValuesAndEscapes() {
            ConnectionSpec spec = ConnectionSpec.parse(
                    "host=localhost port=5432 dbname='my db' user=app password='it\\'s'");

            assertThat(spec.hosts()).containsExactly(new HostPort("localhost", 5432));
            assertThat(spec.database()).isEqualTo("my db");
            assertThat(spec.user()).isEqualTo("app");
            assertThat(spec.password()).contains("it's");
        }

        @Test
        void allowsWhitespaceAroundEqualsSigns() {
            ConnectionSpec spec = ConnectionSpec.parse("  host = h1\tport =5433\n dbname=  d ");

            assertThat(spec.hosts()).containsExactly(new HostPort("h1", 5433));
            assertThat(spec.database()).isEqualTo("d");
        }

        @Test
        void readsBackslashEscapesInsideAndOutsideQuotes() {
            ConnectionSpec spec = ConnectionSpec.parse("password='a\\\\b\\'c d' user=x\\ y\\'z dbname=''");

            assertThat(spec.password()).contains("a\\b'c d");
            assertThat(spec.user()).isEqualTo("x y'z");
            assertThat(spec.database()).as("empty means default").isEqualTo("x y'z");
        }

        @Test
        void needsNoSpaceAfterAClosingQuote() {
            ConnectionSpec spec = ConnectionSpec.parse("host='h'dbname='d'");

            assertThat(spec.host()).isEqualTo("h");
            assertThat(spec.database()).isEqualTo("d");
        }

        @Test
        void readsHostAndPortLists() {
            assertThat(ConnectionSpec.parse("host=h1,h2 port=5432,5433").hosts())
                    .containsExactly(new HostPort("h1", 5432), new HostPort("h2", 5433));
            assertThat(ConnectionSpec.parse("host=h1,h2,h3 port=6000").hosts())
                    .extracting(HostPort::port).containsExactly(6000, 6000, 6000);
            assertThat(ConnectionSpec.parse("host=h1,,h3").hosts())
                    .extracting(HostPort::host).containsExactly("h1", "localhost", "h3");
        }

        @Test
        void letsTheLastValueWin() {
            assertThat(ConnectionSpec.parse("dbname=a dbname=b").database()).isEqualTo("b");
        }

        @Test
        void fillsDefaults() {
            ConnectionSpec spec = ConnectionSpec.parse("sslmode=disable");

            assertThat(spec.hosts()).containsExactly(new HostPort("localhost", 5432));
            assertThat(spec.user()).isEqualTo(OS_USER);
            assertThat(spec.database()).isEqualTo(OS_USER);
        }

        @Test
        void usesHostaddrForDialling() {
            ConnectionSpec spec = ConnectionSpec.parse("host=db.example.com hostaddr=10.0.0.5 dbname=d");

            assertThat(spec.host()).isEqualTo("db.example.com");
            assertThat(spec.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5:5432/d");
            assertThat(spec.clientEnvironment())
                    .containsEntry("PGHOST", "db.example.com")
                    .containsEntry("PGHOSTADDR", "10.0.0.5");
            assertThat(ConnectionSpec.parse("hostaddr=10.0.0.5").host()).isEqualTo("10.0.0.5");
        }
    }

    @Nested
    class JdbcUrls {
        @Test
        void parsesEveryPart() {
            ConnectionSpec spec = ConnectionSpec.parse(
                    "jdbc:postgresql://db:5433/shop?user=app&password=secret&sslmode=verify-full&ApplicationName=x");

            assertThat(spec.hosts()).containsExactly(new HostPort("db", 5433));
            assertThat(spec.user()).isEqualTo("app");
            assertThat(spec.password()).contains("secret");
            assertThat(spec.database()).isEqualTo("shop");
            assertThat(spec.parameters())
                    .containsExactly(entry("application_name", "x"), entry("sslmode", "verify-full"));
            assertThat(spec).isEqualTo(ConnectionSpec.parse(
                    "postgres://app:secret@db:5433/shop?sslmode=verify-full&application_name=x"));
        }

        @Test
        void takesUserAndPasswordSeparatelyAsTestcontainersGivesThem() {
            ConnectionSpec spec = ConnectionSpec.jdbc(
                    "jdbc:postgresql://localhost:49153/test?loggerLevel=OFF", "test", "pw");

            assertThat(spec.hosts()).containsExactly(new HostPort("localhost", 49153));
            assertThat(spec.user()).isEqualTo("test");
            assertThat(spec.password()).contains("pw");
            assertThat(spec.database()).isEqualTo("test");
            assertThat(spec.parameters()).isEmpty();
            assertThat(spec.jdbcParameters()).containsExactly(entry("loggerLevel", "OFF"));
            assertThat(spec.jdbcProperties()).containsEntry("loggerLevel", "OFF");
            assertThat(spec.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:49153/test");
        }

        @Test
        void separateArgumentsReplaceTheUrlsAndNullsKeepThem() {
            String url = "jdbc:postgresql://h/d?user=a&password=b";

            assertThat(ConnectionSpec.jdbc(url, "c", "d").user()).isEqualTo("c");
            assertThat(ConnectionSpec.jdbc(url, "c", "d").password()).contains("d");
            assertThat(ConnectionSpec.jdbc(url, null, null).user()).isEqualTo("a");
            assertThat(ConnectionSpec.jdbc(url, null, null).password()).contains("b");
            assertThat(ConnectionSpec.jdbc("jdbc:postgresql://h/", null, null).user()).isEqualTo(OS_USER);
        }

        @Test
        void readsShortFormsAndDefaults() {
            assertThat(ConnectionSpec.parse("jdbc:postgresql:mydb").hosts())
                    .containsExactly(new HostPort("localhost", 5432));
            assertThat(ConnectionSpec.parse("jdbc:postgresql:mydb").database()).isEqualTo("mydb");
            assertThat(ConnectionSpec.parse("jdbc:postgresql://").database()).isEqualTo(OS_USER);
            assertThat(ConnectionSpec.parse("jdbc:postgresql://h:6000").port()).isEqualTo(6000);
        }

        @Test
        void readsSeveralHostsAndIpv6() {
            assertThat(ConnectionSpec.parse("jdbc:postgresql://h1:5432,h2:5433,[::1]:6000/db").hosts())
                    .containsExactly(new HostPort("h1", 5432), new HostPort("h2", 5433), new HostPort("::1", 6000));
            assertThat(ConnectionSpec.parse("jdbc:postgresql://h1,[::1]/db").hosts())
                    .containsExactly(new HostPort("h1", 5432), new HostPort("::1", 5432));
        }

        @Test
        void decodesLikePgjdbc() {
            ConnectionSpec spec = ConnectionSpec.parse("jdbc:postgresql://h/my+db%2B?ApplicationName=a+b%26c");

            assertThat(spec.database()).isEqualTo("my db+");
            assertThat(spec.parameters()).containsEntry("application_name", "a b&c");
        }

        @ParameterizedTest
        @CsvSource({
            "any, any",
            "primary, primary",
            "master, primary",
            "secondary, standby",
            "slave, standby",
            "preferSecondary, prefer-standby",
        })
        void translatesTargetServerType(String jdbc, String libpq) {
            assertThat(ConnectionSpec.parse("jdbc:postgresql://h/d?targetServerType=" + jdbc).parameters())
                    .containsExactly(entry("target_session_attrs", libpq));
        }

        @Test
        void keepsPgjdbcValuesLibpqCannotExpress() {
            ConnectionSpec spec = ConnectionSpec.parse("jdbc:postgresql://h/d?targetServerType=preferPrimary");

            assertThat(spec.parameters()).isEmpty();
            assertThat(spec.jdbcProperties()).containsEntry("targetServerType", "preferPrimary");
        }

        @Test
        void readsSslTrueAsVerifyFullLikePgjdbc() {
            assertThat(ConnectionSpec.parse("jdbc:postgresql://h/d?ssl=true").parameters())
                    .containsExactly(entry("sslmode", "verify-full"));
            assertThat(ConnectionSpec.parse("jdbc:postgresql://h/d?ssl=true&sslmode=require").parameters())
                    .containsExactly(entry("sslmode", "require"));
        }

        @Test
        void pointsLibpqSpellingsAtPgjdbcOnes() {
            assertThatThrownBy(() -> ConnectionSpec.parse("jdbc:postgresql://h/d?application_name=x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("malformed connection string: unknown JDBC URL parameter \"application_name\""
                            + " (did you mean ApplicationName?)");
        }

        @Test
        void refusesUserInfoBeforeTheHost() {
            assertThatThrownBy(() -> ConnectionSpec.parse("jdbc:postgresql://u:pw@h/d"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("?user=");
        }

        @Test
        void refusesOtherDrivers() {
            assertThatThrownBy(() -> ConnectionSpec.jdbc("jdbc:mysql://h/d", "u", "p"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("jdbc:postgresql://");
        }
    }

    @Nested
    class Outputs {
        private final ConnectionSpec full = ConnectionSpec.parse("postgres://app:s3cret@h1:5432,h2:5433/my%20db"
                + "?sslmode=verify-full&sslrootcert=/etc/ca.pem&sslcert=/c.crt&sslkey=/c.key"
                + "&application_name=copy%20job&connect_timeout=10&options=-c%20work_mem%3D64MB"
                + "&target_session_attrs=read-write&sslpassword=keypass&keepalives_idle=30");

        @Test
        void jdbcUrlMapsParametersToPgjdbcNamesAndLeavesSecretsOut() {
            assertThat(full.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/my%20db"
                    + "?ApplicationName=copy%20job&connectTimeout=10&options=-c%20work_mem%3D64MB"
                    + "&sslcert=%2Fc.crt&sslkey=%2Fc.key&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem"
                    + "&targetServerType=primary");
            assertThat(full.jdbcUrl()).doesNotContain("s3cret", "keypass", "app");
        }

        @Test
        void jdbcUrlIsReadBackByPgjdbc() {
            Properties parsed = Driver.parseURL(full.jdbcUrl(), null);

            assertThat(parsed).containsEntry("PGHOST", "h1,h2")
                    .containsEntry("PGPORT", "5432,5433")
                    .containsEntry("PGDBNAME", "my db")
                    .containsEntry("ApplicationName", "copy job")
                    .containsEntry("options", "-c work_mem=64MB")
                    .containsEntry("sslrootcert", "/etc/ca.pem");
        }

        @ParameterizedTest
        @CsvSource({
            "any, any",
            "read-write, primary",
            "primary, primary",
            "read-only, secondary",
            "standby, secondary",
            "prefer-standby, preferSecondary",
        })
        void jdbcUrlMapsTargetSessionAttrs(String libpq, String jdbc) {
            assertThat(ConnectionSpec.parse("host=h dbname=d target_session_attrs=" + libpq).jdbcUrl())
                    .isEqualTo("jdbc:postgresql://h:5432/d?targetServerType=" + jdbc);
        }

        @Test
        void jdbcUrlMapsTheLesserParameters() {
            ConnectionSpec spec = ConnectionSpec.parse("dbname=d keepalives=0 load_balance_hosts=random"
                    + " channel_binding=require gssencmode=disable krbsrvname=pg replication=database"
                    + " sslnegotiation=direct fallback_application_name=fb");

            assertThat(spec.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/d?channelBinding=require"
                    + "&ApplicationName=fb&gssEncMode=disable&tcpKeepAlive=false&kerberosServerName=pg"
                    + "&loadBalanceHosts=true&replication=database&sslNegotiation=direct");
            assertThat(spec.withParameter("application_name", "app").jdbcUrl())
                    .contains("ApplicationName=app").doesNotContain("fb");
        }

        @Test
        void jdbcPropertiesCarryTheCredentials() {
            Properties p = full.jdbcProperties();

            assertThat(p).containsEntry("user", "app")
                    .containsEntry("password", "s3cret")
                    .containsEntry("sslpassword", "keypass")
                    .containsEntry("sslmode", "verify-full")
                    .containsEntry("ApplicationName", "copy job")
                    .containsEntry("targetServerType", "primary")
                    .doesNotContainKey("keepalives_idle");
            p.clear();
            assertThat(full.jdbcProperties()).as("a fresh copy each time").isNotEmpty();
            assertThat(full.withPassword(null).jdbcProperties()).doesNotContainKey("password");
        }

        @Test
        void clientEnvironmentCarriesEverythingLibpqHasAVariableFor() {
            assertThat(full.clientEnvironment()).containsExactly(
                    entry("PGHOST", "h1,h2"),
                    entry("PGPORT", "5432,5433"),
                    entry("PGDATABASE", "my db"),
                    entry("PGUSER", "app"),
                    entry("PGPASSWORD", "s3cret"),
                    entry("PGAPPNAME", "copy job"),
                    entry("PGCONNECT_TIMEOUT", "10"),
                    entry("PGOPTIONS", "-c work_mem=64MB"),
                    entry("PGSSLCERT", "/c.crt"),
                    entry("PGSSLKEY", "/c.key"),
                    entry("PGSSLMODE", "verify-full"),
                    entry("PGSSLROOTCERT", "/etc/ca.pem"),
                    entry("PGTARGETSESSIONATTRS", "read-write"));
            assertThat(ConnectionSpec.parse("host=h").clientEnvironment()).doesNotContainKey("PGPASSWORD");
        }

        @Test
        void toUriLeavesSecretsOutAndToStringMasksThem() {
            assertThat(full.toUri()).isEqualTo("postgres://app@h1:5432,h2:5433/my%20db?application_name=copy%20job"
                    + "&connect_timeout=10&keepalives_idle=30&options=-c%20work_mem%3D64MB&sslcert=%2Fc.crt"
                    + "&sslkey=%2Fc.key&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem"
                    + "&target_session_attrs=read-write");
            assertThat(full.toString()).startsWith("postgres://app:****@h1:5432,h2:5433/my%20db?")
                    .contains("&sslpassword=****&")
                    .doesNotContain("s3cret", "keypass");
            assertThat(ConnectionSpec.parse("postgres://app@h/d").toString()).isEqualTo("postgres://app@h:5432/d");
        }

        @Test
        void toUriParsesBackToTheSameSpecWithoutSecrets() {
            ConnectionSpec readBack = ConnectionSpec.parse(full.toUri());

            assertThat(readBack.withPassword("s3cret").withParameter("sslpassword", "keypass")).isEqualTo(full);
        }
    }

    @Nested
    class Environment {
        @Test
        void parseDoesNotReadTheEnvironment() {
            assertThat(ConnectionSpec.parse("host=h").password()).isEmpty();
        }

        @Test
        void parseWithEnvironmentFillsAMissingPasswordOnly() {
            Map<String, String> env = Map.of("PGPASSWORD", "fromenv", "PGHOST", "ignored");

            assertThat(ConnectionSpec.parse("host=h", env).password()).contains("fromenv");
            assertThat(ConnectionSpec.parse("host=h", env).host()).isEqualTo("h");
            assertThat(ConnectionSpec.parse("host=h password=given", env).password()).contains("given");
            assertThat(ConnectionSpec.parse("postgres://u:given@h/d", env).password()).contains("given");
            assertThat(ConnectionSpec.parse("host=h", Map.of("PGPASSWORD", "")).password()).isEmpty();
            assertThat(ConnectionSpec.parse("host=h", Map.of()).password()).isEmpty();
        }
    }

    @Nested
    class Copies {
        private final ConnectionSpec base = ConnectionSpec.parse("postgres://u:pw@h:5433/d?sslmode=require");

        @Test
        void withDatabaseChangesOnlyTheDatabase() {
            ConnectionSpec other = base.withDatabase("other");

            assertThat(other.database()).isEqualTo("other");
            assertThat(other.withDatabase("d")).isEqualTo(base);
            assertThatThrownBy(() -> base.withDatabase("")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void withPasswordSetsOrClears() {
            assertThat(base.withPassword("new").password()).contains("new");
            assertThat(base.withPassword(null).password()).isEmpty();
            assertThat(base.withPassword("").password()).isEmpty();
        }

        @Test
        void withParameterSetsAnyKeyword() {
            assertThat(base.withParameter("sslmode", "disable").parameters()).containsEntry("sslmode", "disable");
            assertThat(base.withParameter("sslmode", null).parameters()).isEmpty();
            assertThat(base.withParameter("application_name", "x").parameters()).hasSize(2);
            assertThat(base.withParameter("host", "a,b").hosts())
                    .containsExactly(new HostPort("a", 5433), new HostPort("b", 5433));
            assertThat(base.withParameter("port", null).port()).isEqualTo(5432);
            assertThat(base.withParameter("dbname", "x")).isEqualTo(base.withDatabase("x"));
            assertThat(base.withParameter("password", "x")).isEqualTo(base.withPassword("x"));
        }

        @Test
        void withParameterRefusesUnknownKeysAndBadValues() {
            assertThatThrownBy(() -> base.withParameter("sslmod", "require"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invalid connection parameter: unknown libpq parameter \"sslmod\""
                            + " (did you mean sslmode?)");
            assertThatThrownBy(() -> base.withParameter("sslmode", "yes"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sslmode").hasMessageContaining("verify-full");
            assertThatThrownBy(() -> base.withParameter("connect_timeout", "soon"))
                    .hasMessageContaining("connect_timeout");
        }

        @Test
        void equalityCoversEveryField() {
            ConnectionSpec same = ConnectionSpec.parse("host=h port=5433 dbname=d user=u password=pw sslmode=require");

            assertThat(same).isEqualTo(base).hasSameHashCodeAs(base);
            assertThat(base.withPassword("other")).isNotEqualTo(base);
            assertThat(base.withParameter("application_name", "x")).isNotEqualTo(base);
            assertThat(base.withDatabase("x")).isNotEqualTo(base);
            assertThat(base.withParameter("port", "5434")).isNotEqualTo(base);
            assertThat(ConnectionSpec.jdbc("jdbc:postgresql://h:5433/d?sslmode=require&loggerLevel=OFF", "u", "pw"))
                    .isNotEqualTo(base);
        }
    }

    @Nested
    class Errors {
        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "postgres://u:s3cret@host:notaport/db                | port",
            "postgres://u:s3cret@host:99999/db                   | port",
            "postgres://u:s3cret@host/db?port=0                  | port",
            "postgres://u:s3cret@host/db?sslmod=require | unknown URI parameter \"sslmod\" (did you mean sslmode?)",
            "postgres://u:s3cret@host/db?sslmode=requir          | invalid value for sslmode",
            "postgres://u:s3cret@host/db?sslmode                 | missing \"=\"",
            "postgres://u:s3cret@host/db?a=b=c                   | extra \"=\"",
            "postgres://u:s3cret%zz@host/db                      | percent-encoding",
            "postgres://u:s3cret%00@host/db                      | %00",
            "postgres://u:s3cret%C3@host/db                      | UTF-8",
            "postgres://u:s3cret@[::1/db                         | ]",
            "postgres://u:s3cret@[::1]x/db                       | unexpected character",
            "postgres://u:s3/cret@host/db                        | percent-encode",
            "postgres://u:s3cret@h1,h2/db?port=1,2,3              | could not match 3 port numbers to 2 hosts",
            "host=h password='s3cret                             | unterminated quoted value",
            "host=h password=s3cret sslmode=bogus                | invalid value for sslmode",
            "sslmode= password=s3cret                            | invalid value for sslmode",
            "password=my s3cret                                  | missing \"=\"",
            "passwrd=s3cret                             | unknown keyword \"passwrd\" (did you mean password?)",
            "password=s3cret service=prod                        | service",
            "=s3cret                                             | missing keyword",
            "jdbc:postgresql://u:s3cret@h/db                     | ?user=",
            "jdbc:postgresql://h/db?password=s3cret&foo=bar      | unknown JDBC URL parameter \"foo\"",
            "jdbc:postgresql://h/db?password=s3cret&targetServerType=x | invalid value for targetServerType",
            "jdbc:postgresql://h/db?password=s3cret&keepalives_idle=1 | no pgjdbc equivalent",
            "jdbc:postgresql://h/db?password=s3cret&keepalives=1 | did you mean tcpKeepAlive?",
            "jdbc:postgresql://h:/db?password=s3cret             | empty port",
            "jdbc:postgresql://h/a/b?password=s3cret             | too many",
            "mysql://u:s3cret@h/db?x=1                           | unsupported URL scheme",
            "s3cret                                              | expected postgres://user@host:port/dbname",
        })
        void nameTheProblemOnOneLineWithoutThePassword(String input, String expected) {
            assertThatThrownBy(() -> ConnectionSpec.parse(input))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("malformed connection string: ")
                    .hasMessageContaining(expected)
                    .hasMessageNotContaining("s3cret")
                    .hasMessageNotContaining("cret")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
        }

        @Test
        void explainTheExpectedForms() {
            assertThatThrownBy(() -> ConnectionSpec.parse("localhost"))
                    .hasMessage("malformed connection string: expected postgres://user@host:port/dbname,"
                            + " key=value pairs, or jdbc:postgresql://host:port/dbname");
            assertThatThrownBy(() -> ConnectionSpec.parse("  "))
                    .hasMessageContaining("empty");
        }

        @Test
        void keepMessagesOnOneLineEvenForOddKeys() {
            assertThatThrownBy(() -> ConnectionSpec.parse("postgres://h/d?a%0Ab=1"))
                    .hasMessageContaining("\"a?b\"")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }

        @Test
        void hostPortChecksItsArguments() {
            assertThatThrownBy(() -> new HostPort("", 5432)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new HostPort("a,b", 5432)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new HostPort("h", 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new HostPort("h", 65536)).isInstanceOf(IllegalArgumentException.class);
            assertThat(new HostPort("::1", 5432)).hasToString("[::1]:5432");
            assertThat(new HostPort("h", 5432)).hasToString("h:5432");
        }

        @Test
        void jdbcUrlRefusesHostsPgjdbcCannotParse() {
            ConnectionSpec spec = ConnectionSpec.parse("host='a b' password=s3cret");

            assertThatThrownBy(spec::jdbcUrl)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageNotContaining("s3cret");
        }

        @Test
        void listsAreNotModifiable() {
            ConnectionSpec spec = ConnectionSpec.parse("host=h sslmode=require");

            assertThatThrownBy(() -> spec.hosts().add(new HostPort("x", 1)))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> spec.parameters().put("a", "b"))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> spec.clientEnvironment().put("a", "b"))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThat(List.copyOf(spec.hosts())).hasSize(1);
        }
    }
}
