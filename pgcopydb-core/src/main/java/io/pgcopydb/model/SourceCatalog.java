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
 * @param postDataIndexes indexes the engine does not build: those of partitioned tables (built with their
 *     partitions' indexes attached) and of materialized views (built when the view is refreshed), left to the
 *     post-data restore
 */
public record SourceCatalog(List<SourceTable> tables, List<IndexDefinition> indexes, List<SequenceValue> sequences,
        long largeObjects, List<SourceTable> schemaOnlyTables, List<IndexDefinition> postDataIndexes) {

    /** Copies the lists. */
    public SourceCatalog {
        tables = List.copyOf(tables);
        indexes = List.copyOf(indexes);
        sequences = List.copyOf(sequences);
        schemaOnlyTables = List.copyOf(schemaOnlyTables);
        postDataIndexes = List.copyOf(postDataIndexes);
    }

    /** A catalog without indexes left to the post-data restore. */
    public SourceCatalog(List<SourceTable> tables, List<IndexDefinition> indexes, List<SequenceValue> sequences,
            long largeObjects, List<SourceTable> schemaOnlyTables) {
        this(tables, indexes, sequences, largeObjects, schemaOnlyTables, List.of());
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
