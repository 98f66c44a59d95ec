package io.pgcopydb.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.testkit.fault.FakeClientTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the client tools are found, with script stand-ins for pg_config, pg_dump and pg_restore. */
class PgToolsTest {
    @TempDir
    Path dir;

    private PgTools locate(int sourceMajor, Map<String, String> env) {
        return PgTools.locate(sourceMajor, Optional.empty(), env, dir.resolve("no-packages"));
    }

    @Test
    void nothingOnPathNorPackagedIsOneLineNamingWhereItLookedAndTheRemedy() {
        Path packaged = dir.resolve("no-packages");

        PgTools.Unavailable e = catchThrowableOfType(PgTools.Unavailable.class,
                () -> locate(15, Map.of("PATH", dir.resolve("empty").toString())));

        assertThat(e.problem().code()).isEqualTo(ErrorCode.CLIENT_TOOLS_MISSING);
        assertThat(e.problem().object()).isEmpty();
        assertThat(e).hasMessage(e.problem().toString());
        assertThat(e).hasMessage("pg_dump and pg_restore not found (looked in PATH and " + packaged + "/*/bin): "
                + "install the PostgreSQL 15 client tools or newer (Debian: apt-get install postgresql-client-15), "
                + "and set PG_CONFIG or clientTools(dir) if they are elsewhere");
    }

    @Test
    void onlyAnOlderPgDumpIsOneLineSayingWhatItCannotDumpAndTheRemedy() {
        Path old = FakeClientTools.binDirectory(dir.resolve("old"), "15.18");

        PgTools.Unavailable e = catchThrowableOfType(PgTools.Unavailable.class,
                () -> locate(17, Map.of("PATH", old.toString())));

        assertThat(e.problem().code()).isEqualTo(ErrorCode.CLIENT_TOOLS_TOO_OLD);
        assertThat(e.problem().object()).contains(old.toString());
        assertThat(e).hasMessage(e.problem().toString());
        assertThat(e).hasMessage("pg_dump 15 cannot dump a PostgreSQL 17 server (found: " + old + " 15.18): install "
                + "PostgreSQL 17's client tools and set PG_CONFIG or clientTools(dir)");
    }

    @Test
    void theNewestPgDumpAtLeastTheSourcesWinsWhereverItIsInTheSearch() {
        Path old = FakeClientTools.binDirectory(dir.resolve("old"), "9.6.0");
        Path fifteen = FakeClientTools.binDirectory(dir.resolve("fifteen"), "15.4");
        Path packaged = dir.resolve("packaged");
        Path seventeen = FakeClientTools.binDirectory(packaged.resolve("17/bin"), "17.5");
        FakeClientTools.binDirectory(packaged.resolve("16/bin"), "16.9");

        PgTools tools = PgTools.locate(12, Optional.empty(), Map.of("PATH", old + ":" + fifteen), packaged);

        assertThat(tools.binDirectory()).as("17 in the packaged directories beats 15 on PATH").isEqualTo(seventeen);
        assertThat(tools.majorVersion()).isEqualTo(17);
        assertThat(tools.version()).isEqualTo("17.5");
        assertThat(tools.describe()).isEqualTo("using pg_dump 17.5 from " + seventeen + ": the newest ≥ source 12 "
                + "(candidates: " + old + " 9.6, " + fifteen + " 15.4, " + seventeen + " 17.5, " + packaged
                + "/16/bin 16.9)");
    }

    @Test
    void ofTwoOfTheSameMajorThePathsComesFirst() {
        Path first = FakeClientTools.binDirectory(dir.resolve("first"), "16.1");
        Path second = FakeClientTools.binDirectory(dir.resolve("second"), "16.2");

        assertThat(locate(15, Map.of("PATH", first + ":" + second)).binDirectory()).isEqualTo(first);
    }

    @Test
    void aWrapperOnPathIsNotAskedWhenARealBinaryIsNewEnough() throws Exception {
        Path packaged = FakeClientTools.binDirectory(dir.resolve("lib/postgresql/15/bin"), "15.18");
        Path wrapperDir = dir.resolve("usr/bin");
        java.nio.file.Files.createDirectories(wrapperDir);
        Path script = FakeClientTools.binDirectory(dir.resolve("share/common"), "15.18").resolve("pg_dump");
        Path wrapper = java.nio.file.Files.copy(script, dir.resolve("share/common/pg_wrapper"));
        java.nio.file.Files.createSymbolicLink(wrapperDir.resolve("pg_dump"), wrapper);
        java.nio.file.Files.createSymbolicLink(wrapperDir.resolve("pg_restore"), wrapper);

        assertThat(PgTools.isWrapper(wrapperDir)).isTrue();
        assertThat(PgTools.isWrapper(packaged)).isFalse();
        assertThat(locate(15, Map.of("PATH", wrapperDir + ":" + packaged)).reason())
                .isEqualTo("the newest ≥ source 15 (candidates: " + packaged + " 15.18)");
        assertThat(locate(15, Map.of("PATH", wrapperDir.toString())).reason()).as("asked when nothing else is found")
                .contains(wrapperDir + " 15.18");
    }

    @Test
    void aDirectoryOnPathTwiceUnderTwoNamesIsOneCandidate() throws Exception {
        Path usrBin = FakeClientTools.binDirectory(dir.resolve("usr/bin"), "15.18");
        Path bin = java.nio.file.Files.createSymbolicLink(dir.resolve("bin"), usrBin);

        assertThat(locate(15, Map.of("PATH", usrBin + ":" + bin)).reason())
                .isEqualTo("the newest ≥ source 15 (candidates: " + usrBin + " 15.18)");
    }

    @Test
    void pgConfigIsObeyedAloneEvenWhenPathHoldsABetterPgDump() {
        Path old = FakeClientTools.binDirectory(dir.resolve("old"), "9.6.0");
        Path recent = FakeClientTools.binDirectory(dir.resolve("recent"), "16.2");
        Path pgConfig = FakeClientTools.pgConfig(dir, old);

        PgTools.Unavailable e = catchThrowableOfType(PgTools.Unavailable.class,
                () -> locate(15, Map.of("PG_CONFIG", pgConfig.toString(), "PATH", recent.toString())));

        assertThat(e.problem().code()).isEqualTo(ErrorCode.CLIENT_TOOLS_TOO_OLD);
        assertThat(e.problem().object()).contains(old.toString());
        assertThat(e).hasMessage("pg_dump 9 cannot dump a PostgreSQL 15 server (" + old + ", the bindir of "
                + "PG_CONFIG=" + pgConfig + "): set PG_CONFIG to the pg_config of PostgreSQL 15 or newer, or unset it "
                + "to search PATH and /usr/lib/postgresql/*/bin");
    }

    @Test
    void pgConfigNamingAGoodDirectoryIsUsed() {
        Path recent = FakeClientTools.binDirectory(dir.resolve("recent"), "15.4");
        Path pgConfig = FakeClientTools.pgConfig(dir, recent);

        PgTools tools = locate(15, Map.of("PG_CONFIG", pgConfig.toString()));

        assertThat(tools.tool("pg_dump")).isEqualTo(recent.resolve("pg_dump"));
        assertThat(tools.reason()).isEqualTo("the bindir of PG_CONFIG=" + pgConfig);
    }

    @Test
    void aGivenDirectoryIsTheOnlyCandidateAndWinsOverPgConfig() {
        Path given = FakeClientTools.binDirectory(dir.resolve("given"), "15.4");
        Path newer = FakeClientTools.binDirectory(dir.resolve("newer"), "17.5");
        Path pgConfig = FakeClientTools.pgConfig(dir, newer);

        PgTools tools = PgTools.locate(15, Optional.of(given), Map.of("PG_CONFIG", pgConfig.toString(), "PATH",
                newer.toString()), dir.resolve("no-packages"));

        assertThat(tools.binDirectory()).isEqualTo(given);
        assertThat(tools.describe()).isEqualTo("using pg_dump 15.4 from " + given + ": given by clientTools(" + given
                + "), which wins over PG_CONFIG=" + pgConfig);
    }

    @Test
    void aGivenDirectoryTooOldIsRefusedThoughPathHoldsABetterOne() {
        Path given = FakeClientTools.binDirectory(dir.resolve("given"), "15.4");
        Path newer = FakeClientTools.binDirectory(dir.resolve("newer"), "17.5");

        PgTools.Unavailable e = catchThrowableOfType(PgTools.Unavailable.class, () -> PgTools.locate(17,
                Optional.of(given), Map.of("PATH", newer.toString()), dir.resolve("no-packages")));

        assertThat(e.problem().code()).isEqualTo(ErrorCode.CLIENT_TOOLS_TOO_OLD);
        assertThat(e.problem().object()).contains(given.toString());
        assertThat(e).hasMessage("pg_dump 15 cannot dump a PostgreSQL 17 server (" + given + ", given by clientTools("
                + given + ")): give clientTools(dir) the bin directory of PostgreSQL 17's client tools or newer");
    }

    @Test
    void aGivenDirectoryWithoutTheToolsIsMissing() {
        Path empty = dir.resolve("empty");

        PgTools.Unavailable e = catchThrowableOfType(PgTools.Unavailable.class,
                () -> PgTools.locate(15, Optional.of(empty), Map.of(), dir.resolve("no-packages")));

        assertThat(e.problem().code()).isEqualTo(ErrorCode.CLIENT_TOOLS_MISSING);
        assertThat(e).hasMessage("pg_dump and pg_restore not found in " + empty + " (given by clientTools(" + empty
                + ")): give clientTools(dir) the bin directory of PostgreSQL 15's client tools or newer");
    }

    @Test
    void aBinarysVersionIsAskedOnceUntilTheBinaryChangesAndAWrappersAtEachSearch() throws Exception {
        Path bin = FakeClientTools.binDirectory(dir.resolve("bin"), "15.18");
        Path asked = dir.resolve("asked");
        counting(bin.resolve("pg_dump"), asked, "15.18");

        assertThat(PgTools.locate(15, Optional.of(bin), Map.of()).version()).isEqualTo("15.18");
        assertThat(PgTools.locate(15, Optional.of(bin), Map.of()).version()).isEqualTo("15.18");
        assertThat(Files.readAllLines(asked)).as("pg_dump --version runs").hasSize(1);

        // Another build in its place (an upgrade): its file differs, it is asked again.
        counting(bin.resolve("pg_dump"), asked, "15.19.1");
        assertThat(PgTools.locate(15, Optional.of(bin), Map.of()).version()).isEqualTo("15.19");
        assertThat(Files.readAllLines(asked)).hasSize(2);

        // A wrapper's answer depends on more than its file: asked at each search.
        Path wrapperDir = Files.createDirectories(dir.resolve("usr/bin"));
        Path wrapper = counting(dir.resolve("share/pg_wrapper"), asked, "16.4");
        Files.createSymbolicLink(wrapperDir.resolve("pg_dump"), wrapper);
        Files.createSymbolicLink(wrapperDir.resolve("pg_restore"), wrapper);
        assertThat(PgTools.binaryFile(wrapperDir.resolve("pg_dump"))).isEmpty();
        assertThat(PgTools.locate(16, Optional.of(wrapperDir), Map.of()).version()).isEqualTo("16.4");
        assertThat(PgTools.locate(16, Optional.of(wrapperDir), Map.of()).version()).isEqualTo("16.4");
        assertThat(Files.readAllLines(asked)).hasSize(4);
    }

    /** A pg_dump stand-in that prints {@code version} and appends a line to {@code asked} at each run. */
    private static Path counting(Path file, Path asked, String version) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\necho run >> '" + asked + "'\necho 'pg_dump (PostgreSQL) " + version
                + "'\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void theVersionIsMajorAndMinor() {
        assertThat(PgTools.parseVersion("pg_dump (PostgreSQL) 15.18 (Debian 15.18-1.pgdg120+1)")).contains("15.18");
        assertThat(PgTools.parseVersion("pg_dump (PostgreSQL) 9.6.0")).contains("9.6");
        assertThat(PgTools.parseVersion("pg_dump (PostgreSQL) 18devel")).contains("18");
        assertThat(PgTools.parseVersion("something else")).isEmpty();
    }
}
