package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.Side;
import java.util.List;
import java.util.stream.Collectors;

/** Assertions on the typed problems of a {@link PgCopyException}. */
public final class ProblemAssertions {
    private ProblemAssertions() {
    }

    /**
     * The one problem of {@code e} with {@code code}, {@code side} (null: none) and {@code object}; fails when there
     * is none or more than one.
     */
    public static Problem problem(PgCopyException e, ErrorCode code, Side side, String object) {
        List<Problem> matching = e.problems().stream().filter(p -> p.code() == code
                && p.side().equals(java.util.Optional.ofNullable(side)) && p.object().equals(java.util.Optional
                        .ofNullable(object))).toList();
        assertThat(matching).as("problem %s %s %s among %s", code, side, object, e.problems()).hasSize(1);
        Problem p = matching.get(0);
        assertThat(p.message()).as("one line").doesNotContain("\n");
        assertThat(p.remedy()).as("one line").isNotBlank().doesNotContain("\n");
        assertThat(p.toString()).isEqualTo(p.message() + ": " + p.remedy());
        assertRemedyNamesNoFlag(p);
        return p;
    }

    /** Checks that {@code e} has exactly these codes, in this order. */
    public static void codes(PgCopyException e, ErrorCode... codes) {
        assertThat(e.problems()).extracting(Problem::code).as(e.getMessage()).containsExactly(codes);
    }

    /** Checks that the preflight's message is its problems, one line each, joined. */
    public static void preflightMessage(PgCopyException e) {
        assertThat(e.getMessage()).isEqualTo("preflight failed: "
                + e.problems().stream().map(Problem::toString).collect(Collectors.joining("; ")));
        e.problems().forEach(ProblemAssertions::assertRemedyNamesNoFlag);
    }

    /** The library names its API, never a CLI flag. */
    private static void assertRemedyNamesNoFlag(Problem p) {
        assertThat(p.toString()).as("names the API, not the CLI").doesNotContain("--no-", "--skip-", "--drop-",
                "--resume", "--restart", "--dir", "--not-consistent", "--snapshot", "--roles", "--timeout",
                "--retries", "-jobs");
    }
}
