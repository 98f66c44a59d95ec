package io.pgcopydb.model;

/**
 * The format of the COPY stream that moves a table's rows: PostgreSQL's text format, or its binary format (each
 * value as its type's send function writes it, no text parsing on either side).
 */
public enum CopyFormat {
    /** {@code COPY … (FORMAT text)}: every type, every pair of servers. */
    TEXT,
    /**
     * {@code COPY … (FORMAT binary)}: only where both servers read every column's type the same way (see
     * {@code CopyBuilder.useCopyBinary()}).
     */
    BINARY;

    /** {@code text} or {@code binary}, as COPY's {@code FORMAT} option, logs and reports say it. */
    public String label() {
        return this == TEXT ? "text" : "binary";
    }
}
