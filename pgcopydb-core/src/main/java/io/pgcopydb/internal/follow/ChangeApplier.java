package io.pgcopydb.internal.follow;

import java.sql.Connection;
import java.util.Iterator;

/**
 * What the follow needs of an applier — {@link PgOutputApplier}'s contract — so that a test can stand in for it
 * and prove the follow's own flow (endpos, pruning, sequences, cleanup) whatever applies the changes.
 */
interface ChangeApplier extends AutoCloseable {

    /** See {@link PgOutputApplier#appliedUpTo()}. */
    long appliedUpTo();

    /** See {@link PgOutputApplier#apply(Iterator, long)}. */
    long apply(Iterator<StoredChange> changes, long endpos);

    @Override
    void close();

    /** Makes the applier of a target session and an origin. */
    @FunctionalInterface
    interface Factory {
        ChangeApplier open(Connection target, String origin);
    }

    /** The real one: {@link PgOutputApplier}. */
    static ChangeApplier pgOutput(Connection target, String origin) {
        PgOutputApplier applier = new PgOutputApplier(target, origin);
        return new ChangeApplier() {
            @Override
            public long appliedUpTo() {
                return applier.appliedUpTo();
            }

            @Override
            public long apply(Iterator<StoredChange> changes, long endpos) {
                return applier.apply(changes, endpos);
            }

            @Override
            public void close() {
                applier.close();
            }
        };
    }
}
