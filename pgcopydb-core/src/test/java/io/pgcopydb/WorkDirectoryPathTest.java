package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A work directory given as a relative path is the current directory's, fixed when it is given. */
class WorkDirectoryPathTest {
    private static final String SOURCE = "postgres://u@src:5432/a";
    private static final String TARGET = "postgres://u@tgt:5432/b";

    @Test
    void aRelativeWorkDirectoryIsResolvedAgainstTheCurrentDirectory() {
        Path here = Path.of("").toAbsolutePath();

        CopyOptions options = DatabaseCopy.from(SOURCE).to(TARGET).workDirectory(Path.of("work")).options();

        assertThat(options.workDirectory()).isAbsolute().isEqualTo(here.resolve("work"));
        assertThat(options.defaultWorkDirectory()).isFalse();
    }

    @Test
    void anAbsoluteWorkDirectoryIsKeptAsGiven() {
        Path given = Path.of("/var/tmp/pgcopydb-work");

        assertThat(DatabaseCopy.from(SOURCE).to(TARGET).workDirectory(given).options().workDirectory())
                .isEqualTo(given);
    }
}
