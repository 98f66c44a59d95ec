package io.pgcopydb.internal.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.Problem;
import io.pgcopydb.internal.preflight.TargetVersionCheck.NewerFeature;
import io.pgcopydb.model.Side;
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
}
