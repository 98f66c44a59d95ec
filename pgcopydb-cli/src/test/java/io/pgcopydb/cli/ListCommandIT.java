package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code pgcopydb list tables|indexes|sequences [--list-skipped]} against pagila with a pgcopydb filter file. */
@ExtendWith(PostgresPairExtension.class)
class ListCommandIT {

    @Test
    void listsWhatTheFilterSelectsAndWhatItSkips(DatabasePair pair, @TempDir Path dir) throws IOException {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        Path filters = Files.writeString(dir.resolve("filters.ini"), """
                [exclude-table]
                public.rental

                [exclude-table-data]
                public.film_actor
                """);
        String source = CommandRun.connectionString(pair.source());

        CommandRun tables = CommandRun.execute("list", "tables", "--source", source, "--filters", filters.toString());
        CommandRun skipped = CommandRun.execute("list", "tables", "--source", source, "--filters", filters.toString(),
                "--list-skipped");
        CommandRun indexes = CommandRun.execute("list", "indexes", "--source", source, "--filter", filters.toString(),
                "--list-skipped");
        CommandRun sequences = CommandRun.execute("list", "sequences", "--source", source, "--filters",
                filters.toString());

        assertThat(tables.exitCode()).as(tables.toString()).isZero();
        assertThat(tables.out()).containsPattern("OID \\| Schema \\| +Name +\\| Kind").containsPattern("\\| film +\\|")
                .containsPattern("\\| film_actor +\\| table +\\| +[0-9.]+ kB \\| schema only")
                .containsPattern("\\| payment +\\| partitioned table").doesNotContainPattern("\\| rental +\\|");
        long copiedTables = pair.source().queryForLong("SELECT count(*) FROM pg_class WHERE relkind IN ('r', 'p', 'm')"
                + " AND relnamespace = 'public'::regnamespace") - 2;
        assertThat(tables.out()).contains("(" + copiedTables + " tables)");
        // pagila's materialized view rental_by_category reads rental: it goes with it.
        assertThat(skipped.out()).containsPattern("\\| rental +\\|").containsPattern("\\| rental_by_category +\\|")
                .contains("(2 tables skipped)")
                .doesNotContainPattern("\\| film +\\|");
        assertThat(indexes.exitCode()).as(indexes.toString()).isZero();
        assertThat(indexes.out()).contains("rental_pkey").contains("public.rental").doesNotContain("film_pkey");
        // rental_rental_id_seq is not OWNED BY rental in pagila: a standalone sequence of a selected schema stays.
        assertThat(sequences.out()).contains("film_film_id_seq").contains("rental_rental_id_seq");
        assertThat(pair.target().queryForLong("SELECT count(*) FROM pg_class WHERE relnamespace = "
                + "'public'::regnamespace")).as("list writes nothing anywhere").isZero();
    }

    @Test
    void aFilterACopyWouldRefuseExitsFourWithOneLine(DatabasePair pair, @TempDir Path dir) throws IOException {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        Path filters = Files.writeString(dir.resolve("filters.ini"), """
                [include-only-table]
                public.film
                public.no_such_table
                """);

        CommandRun run = CommandRun.execute("list", "tables", "--source", CommandRun.connectionString(pair.source()),
                "--filters", filters.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).as("the selection is still shown").containsPattern("\\| film +\\|");
        assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                .startsWith("pgcopydb: the filter cannot be applied: ").contains("public.no_such_table");
    }

    @Test
    void anUnknownWhatIsAUsageError() {
        CommandRun run = CommandRun.execute("list", "functions", "--source", "postgres://localhost/x");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString().isEqualTo("pgcopydb: cannot list 'functions': use one "
                + "of databases, extensions, collations, tables, table-parts, sequences, indexes, depends, schema, "
                + "progress");
        assertThat(CommandRun.execute("list", "tabels", "--source", "postgres://localhost/x").errLines())
                .singleElement().asString().startsWith("pgcopydb: cannot list 'tabels': did you mean tables? use one "
                        + "of databases, ");
    }
}
