package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import io.pgcopydb.testkit.sample.SampleDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresPairExtension.class)
class DatabaseCopyIT {

    @Test
    void copiesPagilaExactly(DatabasePair pair) {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        RecordingListener listener = new RecordingListener();

        CopyReport report = CopyAssertions.copy(pair, listener, b -> b.jobs(4).indexJobs(4));

        assertThat(report.succeeded()).isTrue();
        assertThat(report.tables()).extracting(t -> t.name().toString()).contains("public.rental", "public.film");
        assertThat(report.totalRows()).isGreaterThan(40_000);
        assertThat(report.failures()).isEmpty();
        CopyAssertions.assertIdentical(pair);
        // Every index of the source is planned: built by the index jobs, by its EXCLUDE constraint, or named as
        // left to post-data (partitioned tables' and materialized views'), which pagila has.
        PlannedCopy plan = listener.planned().orElseThrow();
        long excludeBacked = plan.constraints().stream()
                .filter(c -> c.kind() == io.pgcopydb.model.ConstraintDefinition.Kind.EXCLUDE).count();
        assertThat(plan.indexes().size() + excludeBacked + plan.postDataIndexes().size())
                .isEqualTo(pair.source().queryForLong("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = "
                        + "i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.indisvalid AND "
                        + "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"));
        assertThat(plan.postDataIndexes()).isNotEmpty().allSatisfy(i -> assertThat(pair.source().queryForString(
                "SELECT relkind FROM pg_class WHERE oid = " + i.tableOid())).isIn("p", "m"));
        assertThat(pair.target().queryForString(
                "SELECT relispopulated FROM pg_class WHERE relname = 'rental_by_category'"))
                .as("unpopulated matview stays unpopulated").isEqualTo("f");
        assertThat(pair.target().queryForString("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public'"))
                .isEqualTo(pair.source().queryForString(
                        "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public'"));
    }

    @Test
    void copiesChinookExactly(DatabasePair pair) {
        Datasets.assumePresent("chinook");
        Datasets.loadChinook(pair.source());

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.jobs(2).indexJobs(2));

        assertThat(report.tables()).hasSize(11);
        assertThat(report.constraints()).allMatch(c -> c.outcome() == Outcome.DONE);
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void copiesTheGeneratedSampleExactly(DatabasePair pair) {
        pair.source().load(SampleDatabase.of(0.02));
        RecordingListener listener = new RecordingListener();

        CopyReport report = CopyAssertions.copy(pair, listener, b -> b.jobs(3).indexJobs(2));

        assertThat(report.largeObjects()).isPositive();
        assertThat(report.sequences()).isPositive();
        CopyAssertions.assertIdentical(pair);
        assertThat(listener.events("tableCopyProgress")).as("progress events").isNotEmpty();
    }

    @Test
    void theReportSaysWhichServersAndWhichClientToolsWithGivenTools(DatabasePair pair) {
        java.nio.file.Path bin = pair.source().server().binDirectory().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(bin != null, "the source server's bin directory is unknown");
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2)");

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.clientTools(bin));

        String version = pair.source().queryForString("SELECT split_part(current_setting('server_version'), ' ', 1)");
        Versions versions = report.versions().orElseThrow();
        assertThat(versions.source()).isEqualTo(version);
        assertThat(versions.target()).isEqualTo(version);
        assertThat(versions.clientToolsDirectory()).isEqualTo(bin);
        assertThat(report.versionsLine()).startsWith("source PostgreSQL " + version + " → target PostgreSQL "
                + version + ", pg_dump/pg_restore " + versions.clientTools() + " (" + bin + ")");
        assertThat(report.toJson()).contains("\"versions\":{\"source\":\"" + version + "\"");
        assertThat(report.warnings()).as("same versions: no version warning").noneMatch(w -> w.contains("older than")
                || w.contains("downgrade"));
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void aRefusedCopysReportStillSaysWhichServersAndTools(DatabasePair pair) {
        pair.target().execute("CREATE TABLE already_here (id int)");

        PgCopyException e = org.assertj.core.api.Assertions.catchThrowableOfType(PgCopyException.class,
                () -> CopyAssertions.copy(pair, new RecordingListener(), b -> b));

        assertThat(e.code()).isEqualTo(ErrorCode.TARGET_NOT_EMPTY);
        assertThat(e.partialReport().orElseThrow().versionsLine()).as("known before the refusal")
                .startsWith("source PostgreSQL ").contains(" → target PostgreSQL ").contains(", pg_dump/pg_restore ");
    }
}
