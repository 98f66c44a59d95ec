package io.pgcopydb.internal.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.Problem;
import io.pgcopydb.Versions;
import io.pgcopydb.model.Side;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A downgrade's preflight against a real source (this machine's servers are all 15): the target's version is
 * pretended older ({@code 12.22}) so what a 12 target cannot hold is named, with the warning, from the source's
 * real catalog. The copy into a real 12 server comes with the testkit's servers of other versions.
 */
@ExtendWith(PostgresPairExtension.class)
class DowngradePreflightIT {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    @Test
    void aFifteenOnlyIndexIsNamedBeforeAnyWriteWithTheDowngradeWarning(DatabasePair pair) throws Exception {
        pair.source().execute("CREATE TABLE film (id int PRIMARY KEY, code text);"
                + "CREATE UNIQUE INDEX film_code_key ON film (code) NULLS NOT DISTINCT");
        String version = pair.source().queryForString("SELECT split_part(current_setting('server_version'), ' ', 1)");
        List<String> warnings = new ArrayList<>();

        List<Problem> problems;
        try (Connection c = pair.source().connect()) {
            problems = Preflight.versions(new Versions(version, "12.22", version, BIN), c, warnings);
        }

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ErrorCode.TARGET_TOO_OLD);
            assertThat(p.side()).contains(Side.TARGET);
            assertThat(p.object()).contains("index public.film_code_key");
            assertThat(p.toString()).isEqualTo("index public.film_code_key uses NULLS NOT DISTINCT, which the target "
                    + "(PostgreSQL 12) cannot hold: it needs PostgreSQL 15: make it NULLS DISTINCT on the source, or "
                    + "copy into PostgreSQL 15 or newer");
        });
        assertThat(warnings).singleElement().asString().startsWith("preflight: downgrade from PostgreSQL " + version
                + " to 12.22: pg_dump 15 writes its output for its own version");
    }

    @Test
    void aSourceWithoutNewerFeaturesOnlyWarns(DatabasePair pair) throws Exception {
        pair.source().execute("CREATE TABLE film (id int PRIMARY KEY, code text UNIQUE)");
        String version = pair.source().queryForString("SELECT split_part(current_setting('server_version'), ' ', 1)");
        List<String> warnings = new ArrayList<>();

        try (Connection c = pair.source().connect()) {
            assertThat(Preflight.versions(new Versions(version, "14.17", version, BIN), c, warnings)).isEmpty();
        }
        assertThat(warnings).singleElement().asString().startsWith("preflight: downgrade from");
    }
}
