package io.pgcopydb.internal.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.Problem;
import io.pgcopydb.Versions;
import io.pgcopydb.internal.preflight.TargetVersionCheck.NewerFeature;
import io.pgcopydb.model.Side;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a downgrade refuses, as a function of the source's facts and the target's major version. */
class TargetVersionCheckTest {
    private static final NewerFeature NULLS_NOT_DISTINCT = new NewerFeature("index public.t_a_key",
            "NULLS NOT DISTINCT", 15, "make it NULLS DISTINCT on the source");
    private static final NewerFeature MULTIRANGE = new NewerFeature("column public.t.spans", "a multirange type", 14,
            "change the column's type on the source");

    @Test
    void aFifteenOnlyIndexCannotGoToATwelveTarget() {
        List<Problem> problems = TargetVersionCheck.problems(List.of(NULLS_NOT_DISTINCT), 12);

        assertThat(problems).hasSize(1);
        Problem p = problems.get(0);
        assertThat(p.code()).isEqualTo(ErrorCode.TARGET_TOO_OLD);
        assertThat(p.side()).contains(Side.TARGET);
        assertThat(p.object()).contains("index public.t_a_key");
        assertThat(p.toString()).isEqualTo("index public.t_a_key uses NULLS NOT DISTINCT, which the target "
                + "(PostgreSQL 12) cannot hold: it needs PostgreSQL 15: make it NULLS DISTINCT on the source, or copy "
                + "into PostgreSQL 15 or newer");
    }

    @Test
    void eachObjectIsRefusedOnlyByTargetsOlderThanItsFeature() {
        List<NewerFeature> facts = List.of(NULLS_NOT_DISTINCT, MULTIRANGE);

        assertThat(TargetVersionCheck.problems(facts, 12)).extracting(p -> p.object().orElseThrow())
                .containsExactly("index public.t_a_key", "column public.t.spans");
        assertThat(TargetVersionCheck.problems(facts, 14)).extracting(p -> p.object().orElseThrow())
                .as("a 14 target holds multiranges").containsExactly("index public.t_a_key");
        assertThat(TargetVersionCheck.problems(facts, 15)).isEmpty();
        assertThat(TargetVersionCheck.problems(List.of(), 12)).isEmpty();
    }

    @Test
    void toolsOlderThanTheTargetAndADowngradeAreWarnings() {
        Path bin = Path.of("/usr/lib/postgresql/15/bin");

        assertThat(TargetVersionCheck.warnings(new Versions("12.22", "17.5", "15.18", bin))).containsExactly(
                "preflight: pg_dump/pg_restore 15.18 are older than the target server (PostgreSQL 17.5): the "
                + "restore usually works, but install PostgreSQL 17's client tools and set PG_CONFIG or "
                + "clientTools(dir) to use tools that know the target");
        assertThat(TargetVersionCheck.warnings(new Versions("15.4", "12.22", "15.18", bin))).containsExactly(
                "preflight: downgrade from PostgreSQL 15.4 to 12.22: pg_dump 15 writes its output for its own "
                + "version, not the target's; objects the catalog shows the target cannot hold are refused now, "
                + "anything else fails the restore");
        assertThat(TargetVersionCheck.warnings(new Versions("12.22", "15.4", "15.18", bin))).isEmpty();
    }
}
