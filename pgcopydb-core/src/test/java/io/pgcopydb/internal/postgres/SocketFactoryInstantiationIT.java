package io.pgcopydb.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.server.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pgjdbc creates our socket factory for every connection by reflection: through the first constructor it tries, so a
 * connection throws no exception to find it (each cost its stack trace, twice per connection).
 */
class SocketFactoryInstantiationIT {

    @Test
    void aConnectionFindsTheFactorysConstructorWithoutAnException(@TempDir Path dir) throws Exception {
        try (LocalPostgres server = LocalPostgres.start()) {
            ConnectionSpec spec = ConnectionSpec.parse("postgres://" + server.user() + "@" + server.host() + ":"
                    + server.port() + "/postgres");
            try (Connection warm = Sessions.connect(spec, "test")) {
                assertThat(warm.isValid(5)).isTrue();
            }
            Path file = dir.resolve("exceptions.jfr");
            try (Recording recording = new Recording()) {
                recording.enable("jdk.JavaExceptionThrow").withStackTrace();
                recording.start();
                for (int i = 0; i < 3; i++) {
                    try (Connection c = Sessions.connect(spec, "test")) {
                        assertThat(c.isValid(5)).isTrue();
                    }
                }
                recording.stop();
                recording.dump(file);
            }
            List<String> thrown = new ArrayList<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                String message = event.getString("message");
                if (message != null && message.contains(BufferedSocketFactory.class.getName())) {
                    thrown.add(event.getClass("thrownClass").getName() + ": " + message);
                }
            }
            assertThat(Files.size(file)).as("the recording was written").isPositive();
            assertThat(thrown).as("exceptions thrown to instantiate the socket factory").isEmpty();
        }
    }
}
