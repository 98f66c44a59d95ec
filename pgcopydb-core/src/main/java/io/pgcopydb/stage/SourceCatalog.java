package io.pgcopydb.stage;

import java.util.List;

/**
 * What the engine read from the source catalog inside the run's snapshot.
 *
 * @param tables tables whose rows are copied (ordinary, unlogged, leaf partitions; not extension members)
 * @param indexes indexes of those tables
 * @param sequences sequences with their values in the snapshot
 * @param largeObjects number of large objects
 */
public record SourceCatalog(List<SourceTable> tables, List<IndexDefinition> indexes, List<SequenceValue> sequences,
        long largeObjects) {

    /** Copies the lists. */
    public SourceCatalog {
        tables = List.copyOf(tables);
        indexes = List.copyOf(indexes);
        sequences = List.copyOf(sequences);
    }

    /** The indexes of {@code table}, in catalog order. */
    public List<IndexDefinition> indexesOf(SourceTable table) {
        return indexes.stream().filter(i -> i.tableOid() == table.oid()).toList();
    }
}
