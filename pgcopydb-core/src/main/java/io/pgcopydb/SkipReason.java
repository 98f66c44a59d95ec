package io.pgcopydb;

/** Why a unit of work (a table part, an index, a constraint, a vacuum) was not done by this run. */
public enum SkipReason {
    /** The interrupted run this one resumes had finished it: it is on the target, and counts as done. */
    ALREADY_DONE,
    /** The run was cancelled or timed out before the unit ran, or while it ran (its work was rolled back). */
    CANCELLED,
    /** The run stopped scheduling work after a failure elsewhere ({@code continueOnError()} not set). */
    RUN_STOPPED,
    /** What the unit needs was not done: its table's rows, or the index a constraint is attached to. */
    DEPENDENCY_NOT_DONE;

    /** Whether the unit's work is on the target all the same (it was done by an earlier run). */
    public boolean done() {
        return this == ALREADY_DONE;
    }
}
