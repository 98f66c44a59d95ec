package io.pgcopydb;

/**
 * Observes a running follow ({@link FollowBuilder#listener(FollowListener)}). Calls arrive on the follow's monitor
 * thread, one at a time; a listener must be fast and must not throw (one that throws is logged once at WARN and
 * called no more, and the follow goes on).
 */
@FunctionalInterface
public interface FollowListener {
    /** A listener that does nothing. */
    FollowListener NONE = progress -> { };

    /**
     * Every 2 s while changes are applied: how far behind the target is.
     *
     * @param progress the lag and the apply rate now
     */
    void progress(FollowProgress progress);
}
