package io.pgcopydb;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A copy that started and did not finish, as its work directory's journal records it: what
 * {@link CopyBuilder#resume()} continues. Found by {@link CopyBuilder#interruptedCopy()}; immutable.
 *
 * @param workDirectory the directory holding it (give it to {@link CopyBuilder#workDirectory(Path)} when it is not
 *     the pair's default one)
 * @param unitsFinished how many units (table parts, indexes, constraints, vacuums, pre- and post-data, large
 *     objects) the journal lists as finished; a resume skips them
 * @param startedAt when the interrupted run started writing to the target, when the journal says
 */
public record InterruptedCopy(Path workDirectory, long unitsFinished, Optional<Instant> startedAt) {

    /** Checks for nulls. */
    public InterruptedCopy {
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
