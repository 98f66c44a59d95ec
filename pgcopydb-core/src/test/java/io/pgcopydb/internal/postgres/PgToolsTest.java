package io.pgcopydb.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.testkit.fault.FakeClientTools;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the client tools are found, with script stand-ins for pg_config, pg_dump and pg_restore. */
class PgToolsTest {
    @TempDir
    Path dir;

    @Test
    void nothingOnPathNorPackagedIsOneLineNamingWhereItLookedAndTheRemedy() {
        Path packaged = dir.resolve("no-packages");

        PgTools.Unavailable e = catchThrowableOfType(PgTools.Unavailable.class,
                () -> PgTools.locate(15, Map.of("PATH", dir.resolve("empty").toString()), packaged));

        assertThat(e.problem().code()).isEqualTo(ErrorCode.CLIENT_TOOLS_MISSING);
        assertThat(e.problem().object()).isEmpty();
        assertThat(e).hasMessage(e.problem().toString());
        assertThat(e).hasMessage("pg_dump and pg_restore not found (looked in PATH and " + packaged + "/*/bin): "
                + "install the PostgreSQL 15 client tools or newer (Debian: apt-get install postgresql-client-15), "
                + "or set PG_CONFIG to their pg_config");
    }

    @Test
    void onlyAnOlderPgDumpIsOneLineNamingWhatWasFound() {
        Path old = FakeClientTools.binDirectory(dir.resolve("old"), "9.6.0");

        PgTools.Unavailable e = catchThrowableOfType(PgTools.Unavailable.class,
                () -> PgTools.locate(15, Map.of("PATH", old.toString()), dir.resolve("no-packages")));

        assertThat(e.problem().code()).isEqualTo(ErrorCode.CLIENT_TOOLS_TOO_OLD);
        assertThat(e.problem().object()).contains(old.toString());
        assertThat(e).hasMessage(e.problem().toString());
        assertThat(e).hasMessage("pg_dump is older than the source server (PostgreSQL 15): found " + old
                + " (9): install the PostgreSQL 15 client tools or newer, or set PG_CONFIG to their pg_config");
    }

    @Test
    void thePathSearchGoesOnPastAnOlderPgDump() {
        Path old = FakeClientTools.binDirectory(dir.resolve("old"), "9.6.0");
        Path recent = FakeClientTools.binDirectory(dir.resolve("recent"), "16.2");

        PgTools tools = PgTools.locate(15, Map.of("PATH", old + ":" + recent), dir.resolve("no-packages"));

        assertThat(tools.binDirectory()).isEqualTo(recent);
        assertThat(tools.majorVersion()).isEqualTo(16);
    }

    @Test
    void pgConfigIsObeyedAloneEvenWhenPathHoldsABetterPgDump() {
        Path old = FakeClientTools.binDirectory(dir.resolve("old"), "9.6.0");
        Path recent = FakeClientTools.binDirectory(dir.resolve("recent"), "16.2");
        Path pgConfig = FakeClientTools.pgConfig(dir, old);

        PgTools.Unavailable e = catchThrowableOfType(PgTools.Unavailable.class, () -> PgTools.locate(15,
                Map.of("PG_CONFIG", pgConfig.toString(), "PATH", recent.toString()), dir.resolve("no-packages")));

        assertThat(e.problem().code()).isEqualTo(ErrorCode.CLIENT_TOOLS_TOO_OLD);
        assertThat(e.problem().object()).contains(old.toString());
        assertThat(e).hasMessage("pg_dump 9 in " + old + " (the bindir of PG_CONFIG=" + pgConfig + ") is older "
                + "than the source server (PostgreSQL 15): set PG_CONFIG to the pg_config of PostgreSQL 15 or "
                + "newer, or unset it to search PATH and /usr/lib/postgresql/*/bin");
    }

    @Test
    void pgConfigNamingAGoodDirectoryIsUsed() {
        Path recent = FakeClientTools.binDirectory(dir.resolve("recent"), "15.4");
        Path pgConfig = FakeClientTools.pgConfig(dir, recent);

        PgTools tools = PgTools.locate(15, Map.of("PG_CONFIG", pgConfig.toString()), dir.resolve("no-packages"));

        assertThat(tools.tool("pg_dump")).isEqualTo(recent.resolve("pg_dump"));
    }
}
