package io.pgcopydb.stage;

import io.pgcopydb.internal.Wiring;
import io.pgcopydb.model.TablePart;

/**
 * Moves one table part's rows from the source to the target.
 *
 * <p>Called concurrently from the copy jobs, one part per call.
 */
@FunctionalInterface
public interface CopyStreamer {

    /**
     * Copies {@code part}, reporting progress as it goes.
     *
     * @return rows and bytes moved
     * @throws Exception when the copy fails; the target must be left without a half-copied part (roll back)
     */
    CopyResult copy(TablePart part, StageContext context, Progress progress) throws Exception;

    /** {@code COPY … TO STDOUT} streamed into {@code COPY … FROM STDIN}, truncate + FREEZE in one transaction. */
    static CopyStreamer standard() {
        return Wiring.copyStreamer();
    }

    /** Rows and bytes moved by one copy. */
    record CopyResult(long rows, long bytes) {
    }

    /** Receives running totals during a copy; called from the copying thread. */
    @FunctionalInterface
    interface Progress {
        /** Running totals since the start of this part. */
        void update(long rows, long bytes);
    }
}
