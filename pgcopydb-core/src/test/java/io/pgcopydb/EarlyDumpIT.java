package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Step 3's dump starts during step 2 and its table of contents is listed on the same thread before step 4 asks for
 * it. A listing that fails there is not the dump's failure: step 4 lists again and fails as it always did.
 */
@ExtendWith(PostgresPairExtension.class)
class EarlyDumpIT {

    @Test
    void anArchivePgRestoreCannotListFailsStepFourAndNothingIsRestored(DatabasePair pair) {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
        RecordingListener listener = new RecordingListener();
        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> DatabaseCopy
                .from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.target())).listener(listener)
                .schemaDumper(ctx -> {
                    Path archive = ctx.workDirectory().resolve("not-an-archive.dump");
                    Files.writeString(archive, "not a pg_dump archive");
                    return archive;
                }).run());

        assertThat(e.phase()).as(e.getMessage()).contains(Phase.PREPARE_SCHEMA);
        assertThat(e.getMessage()).contains("pg_restore --list failed");
        assertThat(listener.events("phaseFinished")).extracting(RecordingListener.Event::object)
                .contains("DUMP_SCHEMA");
        assertThat(pair.target().queryForLong("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                + "c.relnamespace WHERE n.nspname = 'public'")).as("relations restored").isZero();
    }
}
