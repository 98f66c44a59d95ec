package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigintTest {
    @Test
    void theSigIgnMaskSaysWhetherSigintIsIgnored(@TempDir Path dir) throws Exception {
        Path status = dir.resolve("status");

        Files.writeString(status, "Name:\tbash\nSigBlk:\t0000000000000002\nSigIgn:\t0000000000000007\n");
        assertThat(Sigint.ignored(status)).isTrue();
        Files.writeString(status, "Name:\tbash\nSigBlk:\t0000000000000002\nSigIgn:\t0000000000384004\n");
        assertThat(Sigint.ignored(status)).isFalse();
        Files.writeString(status, "Name:\tbash\n");
        assertThat(Sigint.ignored(status)).isFalse();
        assertThat(Sigint.ignored(dir.resolve("absent"))).isFalse();
    }
}
