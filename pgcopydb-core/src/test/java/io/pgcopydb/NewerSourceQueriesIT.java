package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.filter.Filters;
import io.pgcopydb.testkit.fault.FakeClientTools;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPair;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query the copy sends to its source before pg_dump's archive is needed — preflight's privilege and
 * downgrade checks, the catalog, the filter's graph, the database's settings and properties, the plan — runs on
 * PostgreSQL 16, 17 and 18 sources, which this machine's pg_dump 15 cannot dump: client tools that only claim the
 * source's version stand in ({@link FakeClientTools}), so the run goes past preflight and the catalog step and fails
 * only where a real archive is needed. The every-kind fixture is the source, with a filter to resolve.
 */
class NewerSourceQueriesIT {

    @Test
    @PostgresPair(source = 16, target = 15)
    void from16(DatabasePair pair, @TempDir Path temp) {
        readsEverythingBeforeTheArchive(pair, temp, "16.9");
    }

    @Test
    @PostgresPair(source = 17, target = 15)
    void from17(DatabasePair pair, @TempDir Path temp) {
        readsEverythingBeforeTheArchive(pair, temp, "17.5");
    }

    @Test
    @PostgresPair(source = 18, target = 15)
    void from18(DatabasePair pair, @TempDir Path temp) {
        readsEverythingBeforeTheArchive(pair, temp, "18.0");
    }

    private static void readsEverythingBeforeTheArchive(DatabasePair pair, Path temp, String toolsVersion) {
        EveryKindVariant.loadInto(pair, temp);
        Path tools = FakeClientTools.binDirectory(temp.resolve("bin"), toolsVersion);
        RecordingListener listener = new RecordingListener();

        PgCopyException[] failure = new PgCopyException[1];
        String log = LogCapture.capture(() -> failure[0] = catchThrowableOfType(PgCopyException.class,
                () -> CopyAssertions.copy(pair, listener, b -> b.clientTools(tools).workDirectory(temp.resolve("work"))
                        .filter(Filters.none().excludeTableData("public.shared_b")))));
        PgCopyException e = failure[0];

        assertThat(e).as("the fake pg_dump writes no archive: the run cannot finish").isNotNull();
        assertThat(log).as("every preflight check ran").doesNotContain("could not run");
        assertThat(listener.events("phaseFinished")).extracting(RecordingListener.Event::object)
                .as("preflight and the catalog step ran on PostgreSQL %d: %s",
                        pair.source().server().serverVersionNum() / 10000, e.getMessage())
                .contains("PREFLIGHT", "CATALOG");
        assertThat(e.phase()).isPresent().get().isNotIn(Phase.PREFLIGHT, Phase.CATALOG);
        assertThat(e.getMessage()).doesNotContain("does not exist (SQLSTATE 42703)").doesNotContain("42883");
    }
}
