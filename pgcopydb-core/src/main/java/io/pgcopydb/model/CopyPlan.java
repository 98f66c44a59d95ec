package io.pgcopydb.model;

import java.util.List;

/**
 * The ordered COPY work of a run: every selected table in exactly one or more parts, in the order the engine
 * hands parts to the copy jobs (largest first in the standard plan).
 *
 * @param parts the parts, in scheduling order
 */
public record CopyPlan(List<TablePart> parts) {

    /** Copies the list. */
    public CopyPlan {
        parts = List.copyOf(parts);
    }

    /** The distinct tables of the plan, in the order of their first part. */
    public List<SourceTable> tables() {
        return parts.stream().map(TablePart::table).distinct().toList();
    }
}
