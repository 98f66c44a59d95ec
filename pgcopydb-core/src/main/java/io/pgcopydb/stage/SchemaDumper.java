package io.pgcopydb.stage;

import io.pgcopydb.internal.Wiring;
import java.nio.file.Path;

/**
 * Dumps the source schema (pre-data and post-data sections) to an archive that {@code pg_restore} can read.
 *
 * <p>Called once per run, on the engine's main thread.
 */
@FunctionalInterface
public interface SchemaDumper {

    /**
     * Writes the archive into the work directory and returns its path.
     *
     * @throws Exception when the dump fails; the message should carry the tool's error output
     */
    Path dump(StageContext context) throws Exception;

    /** {@code pg_dump -Fc --snapshot … --section=pre-data --section=post-data}. */
    static SchemaDumper standard() {
        return Wiring.schemaDumper();
    }
}
