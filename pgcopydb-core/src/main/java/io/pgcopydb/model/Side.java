package io.pgcopydb.model;

/** Which of the two servers of a copy something is about. */
public enum Side {
    /** The database copied from. */
    SOURCE,
    /** The database copied into. */
    TARGET;

    /** {@code source} or {@code target}, as logs and messages say it. */
    public String label() {
        return this == SOURCE ? "source" : "target";
    }
}
