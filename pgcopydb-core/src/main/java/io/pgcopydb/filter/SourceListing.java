package io.pgcopydb.filter;

import java.util.List;

/**
 * What a filter selects in a source database, read in one snapshot without writing anywhere: the library's
 * {@code pgcopydb list tables|indexes|sequences [--list-skipped]}. Obtained from
 * {@link io.pgcopydb.DatabaseCopy.Source#list(Filters)}; immutable.
 *
 * <p>The decisions are the ones a copy with the same filter makes at the same instant: both resolve the filter
 * with the same code against the same catalog.
 *
 * @param tables tables, partitioned tables, materialized views and foreign tables of user schemas (extension
 *     members left out), ordered by name
 * @param indexes their indexes, ordered by name
 * @param sequences sequences of user schemas, ordered by name
 * @param skippedSchemas user schemas a copy does not create, with everything in them, ordered by name
 * @param errors problems that would stop a copy before it starts (say an exact include-only name matching
 *     nothing, or a foreign key to rows the filter leaves out); one line each, naming the fix
 * @param warnings problems a copy logs and survives
 */
public record SourceListing(List<ListedObject> tables, List<ListedObject> indexes, List<ListedObject> sequences,
        List<String> skippedSchemas, List<String> errors, List<String> warnings) {

    /** Copies the lists. */
    public SourceListing {
        tables = List.copyOf(tables);
        indexes = List.copyOf(indexes);
        sequences = List.copyOf(sequences);
        skippedSchemas = List.copyOf(skippedSchemas);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** The tables a copy creates (with or without rows). */
    public List<ListedObject> selectedTables() {
        return tables.stream().filter(o -> o.decision().selected()).toList();
    }

    /** The tables a copy leaves out. */
    public List<ListedObject> skippedTables() {
        return tables.stream().filter(o -> !o.decision().selected()).toList();
    }
}
