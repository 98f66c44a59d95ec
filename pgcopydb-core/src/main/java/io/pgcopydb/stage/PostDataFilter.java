package io.pgcopydb.stage;

import io.pgcopydb.internal.Wiring;
import java.util.List;
import java.util.Set;

/**
 * Rewrites the archive's table of contents ({@code pg_restore --list} output) so the post-data restore does
 * not build again what the engine already built. The result is given to {@code pg_restore --use-list}.
 *
 * <p>Called once per run. A pure function: no I/O.
 */
@FunctionalInterface
public interface PostDataFilter {

    /**
     * Returns the list to restore: every input line, in order, with the lines to skip commented out by a
     * leading {@code ;}.
     */
    List<String> filter(List<String> tocLines, Built built);

    /**
     * Lines {@code dumpId; catalogOid objectOid INDEX …}, {@code … CONSTRAINT …} and {@code … FK CONSTRAINT …}
     * commented out by OID. A copy adds foreign keys in its data step only with this filter (a custom one may not
     * leave them out).
     */
    static PostDataFilter standard() {
        return Wiring.postDataFilter();
    }

    /**
     * What the engine built itself.
     *
     * @param indexOids source OIDs of indexes built by the index jobs
     * @param constraintOids source OIDs of constraints attached by the engine: index-backed ones, and foreign keys
     *     added in the data step
     */
    record Built(Set<Long> indexOids, Set<Long> constraintOids) {
        /** Copies the sets. */
        public Built {
            indexOids = Set.copyOf(indexOids);
            constraintOids = Set.copyOf(constraintOids);
        }
    }
}
