package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.model.Side;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed problems of {@link PgCopyException}: which one decides the code, and what the builder keeps. */
class PgCopyExceptionTest {
    private static final Problem NOT_EMPTY = Problem.of(ErrorCode.TARGET_NOT_EMPTY, "target database shop is not "
            + "empty (3 relations, e.g. public.film)", "copy into an empty database, or use dropIfExists() to replace "
            + "an older copy").withSide(Side.TARGET).withObject("shop");
    private static final Problem NO_DATABASE = Problem.of(ErrorCode.DATABASE_NOT_FOUND, "cannot connect to the "
            + "source postgres://app@db/nope: FATAL: database \"nope\" does not exist", "check the database name, "
            + "or create the database first").withSide(Side.SOURCE).withObject("nope").withSqlState("3D000");

    @Test
    void aProblemIsOneLineOfMessageAndRemedy() {
        assertThat(NOT_EMPTY.toString()).isEqualTo("target database shop is not empty (3 relations, e.g. "
                + "public.film): copy into an empty database, or use dropIfExists() to replace an older copy");
        assertThat(NOT_EMPTY.side()).contains(Side.TARGET);
        assertThat(NOT_EMPTY.object()).contains("shop");
        assertThat(NOT_EMPTY.sqlState()).isEmpty();
        assertThat(NOT_EMPTY.withRemedy("drop it").toString()).endsWith(": drop it");
        assertThatThrownBy(() -> Problem.of(ErrorCode.INTERNAL, "m", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void withoutProblemsTheExceptionHasOneMadeOfItsCodeMessageObjectAndSqlState() {
        PgCopyException e = PgCopyException.builder(ErrorCode.COPY_FAILED, "copying large object 16402 failed: x")
                .phase(Phase.LARGE_OBJECTS).object("large object 16402").sqlState("42501").build();

        assertThat(e.code()).isEqualTo(ErrorCode.COPY_FAILED);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ErrorCode.COPY_FAILED);
            assertThat(p.message()).isEqualTo("copying large object 16402 failed: x");
            assertThat(p.object()).contains("large object 16402");
            assertThat(p.sqlState()).contains("42501");
            assertThat(p.side()).isEmpty();
            assertThat(p.remedy()).isNotBlank();
        });
        assertThat(new PgCopyException(ErrorCode.CANCELLED, "interrupted").problems()).extracting(Problem::code)
                .containsExactly(ErrorCode.CANCELLED);
    }

    @Test
    void aConnectionProblemOutranksTheOthersAndGivesObjectAndSqlState() {
        PgCopyException e = PgCopyException.builder(ErrorCode.INTERNAL, "preflight failed: …")
                .problems(List.of(NOT_EMPTY, NO_DATABASE)).build();

        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_NOT_FOUND);
        assertThat(e.object()).contains("nope");
        assertThat(e.sqlState()).contains("3D000");
        assertThat(e.problems()).containsExactly(NOT_EMPTY, NO_DATABASE);
        assertThat(e.getMessage()).isEqualTo("preflight failed: …");
    }

    @Test
    void amongEqualsTheFirstDecidesAndExplicitObjectAndSqlStateWin() {
        Problem inUse = Problem.of(ErrorCode.WORK_DIRECTORY_IN_USE, "in use", "wait").withObject("/w");
        PgCopyException e = PgCopyException.builder(ErrorCode.INTERNAL, "m").problem(inUse).problem(NOT_EMPTY)
                .build();
        assertThat(e.code()).isEqualTo(ErrorCode.WORK_DIRECTORY_IN_USE);
        assertThat(e.object()).contains("/w");

        PgCopyException explicit = e.toBuilder().object("other").sqlState("XX000").build();
        assertThat(explicit.object()).contains("other");
        assertThat(explicit.sqlState()).contains("XX000");
    }

    @Test
    void aCancellationThenALostSnapshotThenALostConnectionOutrankCopyFailures() {
        Problem failed = Problem.of(ErrorCode.COPY_FAILED, "index public.x: boom", "fix it");
        Problem lost = Problem.of(ErrorCode.CONNECTION_LOST, "COPY public.big: gave up", "check the servers");
        Problem snapshot = Problem.of(ErrorCode.SNAPSHOT_LOST, "snapshot gone", "resume()");
        Problem timedOut = Problem.of(ErrorCode.TIMED_OUT, "the copy timed out after 2 h", "resume()");

        assertThat(code(failed, lost)).isEqualTo(ErrorCode.CONNECTION_LOST);
        assertThat(code(failed, lost, snapshot)).isEqualTo(ErrorCode.SNAPSHOT_LOST);
        assertThat(code(failed, snapshot, timedOut)).isEqualTo(ErrorCode.TIMED_OUT);
        assertThat(code(timedOut, NO_DATABASE)).isEqualTo(ErrorCode.DATABASE_NOT_FOUND);
        assertThat(code(failed, NOT_EMPTY)).isEqualTo(ErrorCode.COPY_FAILED);
    }

    @Test
    void problemsAreImmutableAndToBuilderKeepsThemTheStackTraceAndTheCause() {
        List<Problem> given = new ArrayList<>(List.of(NOT_EMPTY));
        SQLException cause = new SQLException("boom", "3D000");
        PgCopyException e = PgCopyException.builder(ErrorCode.INTERNAL, "m").problems(given).cause(cause).build();
        given.add(NO_DATABASE);

        assertThat(e.problems()).containsExactly(NOT_EMPTY);
        assertThatThrownBy(() -> e.problems().add(NO_DATABASE)).isInstanceOf(UnsupportedOperationException.class);
        PgCopyException copy = e.toBuilder().message("m; more").build();
        assertThat(copy.problems()).containsExactly(NOT_EMPTY);
        assertThat(copy.getStackTrace()).isEqualTo(e.getStackTrace());
        assertThat(copy.getCause()).isSameAs(cause);
        assertThat(copy.getMessage()).isEqualTo("m; more");
        assertThat(copy.toBuilder().replaceProblems(List.of(NO_DATABASE)).build().code())
                .isEqualTo(ErrorCode.DATABASE_NOT_FOUND);
    }

    @Test
    void everyCodeHasACategoryAndTheConnectionCategoryHoldsTheConnectionCodes() {
        assertThat(ErrorCode.values()).allSatisfy(c -> assertThat(c.category()).isNotNull());
        assertThat(Arrays.stream(ErrorCode.values()).filter(c -> c.category() == ErrorCode.Category.CONNECTION))
                .containsExactlyInAnyOrder(ErrorCode.SERVER_UNREACHABLE, ErrorCode.UNKNOWN_HOST,
                        ErrorCode.AUTHENTICATION_FAILED, ErrorCode.CONNECTION_REJECTED, ErrorCode.PASSWORD_MISSING,
                        ErrorCode.DATABASE_NOT_FOUND);
        assertThat(Arrays.stream(ErrorCode.values()).filter(c -> c.category() == ErrorCode.Category.CANCELLED))
                .containsExactlyInAnyOrder(ErrorCode.CANCELLED, ErrorCode.TIMED_OUT);
        assertThat(ErrorCode.CONNECTION_LOST.category()).isEqualTo(ErrorCode.Category.RUN);
        assertThat(ErrorCode.INVALID_ARGUMENT.category()).isEqualTo(ErrorCode.Category.ARGUMENT);
    }

    private static ErrorCode code(Problem... problems) {
        return PgCopyException.builder(ErrorCode.INTERNAL, "m").problems(List.of(problems)).build().code();
    }
}
