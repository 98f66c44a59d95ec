package io.pgcopydb.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ServerProvidersTest {

    @Test
    void externalPairWinsAndDockerIsNotAsked() {
        AtomicBoolean asked = new AtomicBoolean();
        ServerProvider p = ServerProviders.select(Map.of(
                ServerProviders.SOURCE_URI_VARIABLE, "postgres://u:secret@src.example:6543/a",
                ServerProviders.TARGET_URI_VARIABLE, "postgres://u@tgt.example/b"), () -> {
                    asked.set(true);
                    return true;
                });

        assertThat(p.kind()).isEqualTo(ServerProvider.Kind.EXTERNAL);
        assertThat(asked).as("docker probed although an external pair is configured").isFalse();
        PostgresServer source = p.server(ServerProvider.Role.SOURCE);
        assertThat(source.host()).isEqualTo("src.example");
        assertThat(source.port()).isEqualTo(6543);
        assertThat(source.password()).contains("secret");
        assertThat(source.maintenanceDatabase()).isEqualTo("a");
        assertThat(p.server(ServerProvider.Role.TARGET).port()).isEqualTo(5432);
        assertThat(p.toString()).doesNotContain("secret");
        assertThat(source.toString()).doesNotContain("secret");
    }

    @Test
    void dockerComesSecond() {
        assertThat(ServerProviders.select(Map.of(), () -> true).kind()).isEqualTo(ServerProvider.Kind.TESTCONTAINERS);
    }

    @Test
    void localBinariesAreTheFallback() {
        assertThat(ServerProviders.select(Map.of(), () -> false).kind()).isEqualTo(ServerProvider.Kind.LOCAL_BINARIES);
    }

    @Test
    void blankExternalValuesCountAsUnset() {
        ServerProvider p = ServerProviders.select(Map.of(
                ServerProviders.SOURCE_URI_VARIABLE, " ", ServerProviders.TARGET_URI_VARIABLE, ""), () -> false);
        assertThat(p.kind()).isEqualTo(ServerProvider.Kind.LOCAL_BINARIES);
    }

    @Test
    void halfConfiguredExternalPairIsAnError() {
        assertThatThrownBy(() -> ServerProviders.select(
                Map.of(ServerProviders.SOURCE_URI_VARIABLE, "postgres://u@h/db"), () -> false))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining(ServerProviders.TARGET_URI_VARIABLE);
    }

    @Test
    void malformedExternalUriIsRejectedWithoutEchoingIt() {
        ServerProvider p = ServerProviders.select(Map.of(
                ServerProviders.SOURCE_URI_VARIABLE, "mysql://u:pw@h/db",
                ServerProviders.TARGET_URI_VARIABLE, "postgres://u@h/db"), () -> false);
        assertThatThrownBy(() -> p.server(ServerProvider.Role.SOURCE))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("postgres://")
                .hasMessageNotContaining("pw");
    }
}
