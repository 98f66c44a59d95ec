package io.pgcopydb.model;

import java.util.List;

/**
 * What the engine read from the source catalog inside the run's snapshot.
 *
 * @param tables tables whose rows are copied (ordinary, unlogged, leaf partitions; not extension members)
 * @param indexes indexes of those tables and of {@code schemaOnlyTables}
 * @param sequences sequences with their values in the snapshot
 * @param largeObjects number of large objects
 * @param schemaOnlyTables tables created without their rows (a filter's {@code excludeTableData}): the engine
 *     builds their indexes and constraints like any other table's, but copies and vacuums nothing; never in the
 *     plan
 */
public record SourceCatalog(List<SourceTable> tables, List<IndexDefinition> indexes, List<SequenceValue> sequences,
        long largeObjects, List<SourceTable> schemaOnlyTables) {

    /** Copies the lists. */
    public SourceCatalog {
        tables = List.copyOf(tables);
        indexes = List.copyOf(indexes);
        sequences = List.copyOf(sequences);
        schemaOnlyTables = List.copyOf(schemaOnlyTables);
    }

    /** A catalog where every table's rows are copied. */
    public SourceCatalog(List<SourceTable> tables, List<IndexDefinition> indexes, List<SequenceValue> sequences,
            long largeObjects) {
        this(tables, indexes, sequences, largeObjects, List.of());
    }

    /** The indexes of {@code table}, in catalog order. */
    public List<IndexDefinition> indexesOf(SourceTable table) {
        return indexes.stream().filter(i -> i.tableOid() == table.oid()).toList();
    }
}
