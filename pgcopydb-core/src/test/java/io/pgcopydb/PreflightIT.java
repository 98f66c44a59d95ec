package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.testkit.DatabasePair;
import io.pgcopydb.testkit.PostgresPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresPairExtension.class)
class PreflightIT {

    @Test
    void aNonEmptyTargetIsRefusedAndLeftUntouched(DatabasePair pair) {
        pair.source().execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2)");
        pair.target().execute("CREATE TABLE keep (id int); INSERT INTO keep VALUES (42)");
        RecordingListener listener = new RecordingListener();

        PgCopyException e = catchThrowableOfType(PgCopyException.class,
                () -> CopyAssertions.copy(pair, listener, b -> b));

        assertThat(e.code()).isEqualTo(ErrorCode.PREFLIGHT_FAILED);
        assertThat(e.getMessage()).contains("not empty").contains("public.keep").contains("empty database")
                .doesNotContain("\n");
        assertThat(e.partialReport()).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(CopyReport.Status.FAILED));
        assertThat(pair.target().queryForLong("SELECT count(*) FROM keep")).isEqualTo(1);
        assertThat(pair.target().queryForString("SELECT to_regclass('public.t')")).isNull();
        assertThat(listener.events("phaseFailed")).extracting(RecordingListener.Event::object).containsExactly("PREFLIGHT");
    }

    @Test
    void anUnreachableServerIsAConnectionFailureNamingTheRemedy(DatabasePair pair) {
        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> DatabaseCopy
                .from(CopyAssertions.spec(pair.source()))
                .to("postgres://someone:s3cretpw@127.0.0.1:1/nowhere").run());

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage()).contains("cannot connect to the target").contains("check the host")
                .doesNotContain("s3cretpw");
    }

    @Test
    void copyingADatabaseOntoItselfIsRefused(DatabasePair pair) {
        pair.source().execute("CREATE TABLE t (id int)");
        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> DatabaseCopy
                .from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.source())).run());

        assertThat(e.code()).isEqualTo(ErrorCode.PREFLIGHT_FAILED);
        assertThat(e.getMessage()).contains("same database");
    }

    @Test
    void badJobCountsAreRejectedWhereTheyAreSet(DatabasePair pair) {
        DatabaseCopy.Builder b = DatabaseCopy.from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.target()));
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> b.jobs(0)))
                .hasMessage("jobs must be >= 1, was 0");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> b.indexJobs(-1)))
                .hasMessage("indexJobs must be >= 1, was -1");
    }
}
