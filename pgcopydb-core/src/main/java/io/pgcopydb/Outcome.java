package io.pgcopydb;

/** What happened to one object of a copy. */
public enum Outcome {
    /** Done. */
    DONE,
    /** Tried and failed. */
    FAILED,
    /** Never tried, because the run stopped (failure elsewhere, or cancellation). */
    SKIPPED
}
