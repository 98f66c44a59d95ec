package io.pgcopydb.internal.follow;

import java.util.Iterator;

/**
 * Stored changes whose reader can tell whether the next one is at hand, without waiting: the change log while the
 * applier catches up. Given such changes, {@link PgOutputApplier#apply} commits several small source transactions
 * in one target transaction (each whole, the origin's progress at the last one's end) as long as more are at hand,
 * so that a backlog of small transactions is not bound by one round trip and one commit each; with a plain
 * {@link Iterator} every source transaction has a target transaction of its own.
 */
public interface ReadyChanges extends Iterator<StoredChange> {

    /** Whether {@link #hasNext()} would answer at once (either way) rather than wait for the receiver. */
    boolean ready();
}
