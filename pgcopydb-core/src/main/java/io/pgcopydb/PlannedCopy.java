package io.pgcopydb;

import io.pgcopydb.model.ConstraintDefinition;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a run is about to do, sent once to {@link CopyListener#copyPlanned} when the catalog is read: what to
 * show progress against. Each unit listed here later gets exactly one ending event (finished, failed or skipped),
 * so counters of ended units reach these totals exactly; {@link #bytes()} is the sum of the parts'
 * {@link TablePart#bytes()}, the unit the finished and skipped parts add up in. Immutable.
 *
 * @param parts the table parts to copy, in the order the copy jobs take them
 * @param schemaOnlyTables tables created without rows ({@code excludeTableData}); their indexes and constraints
 *     are built all the same
 * @param indexes the indexes the index jobs build ({@link io.pgcopydb.stage.IndexBuilder})
 * @param constraints the constraints the engine attaches ({@link io.pgcopydb.stage.ConstraintAttacher})
 * @param vacuums the tables vacuumed after their indexes and constraints (none with {@code skipVacuum()})
 * @param sequences how many sequences are set
 * @param largeObjects how many large objects are copied (0 with {@code skipLargeObjects()})
 * @param postDataIndexes indexes the engine does not build, left to the post-data restore: those of partitioned
 *     tables and of materialized views; no index event is sent for them
 */
public record PlannedCopy(List<TablePart> parts, List<SourceTable> schemaOnlyTables, List<IndexDefinition> indexes,
        List<ConstraintDefinition> constraints, List<QualifiedName> vacuums, int sequences, long largeObjects,
        List<IndexDefinition> postDataIndexes) {

    /** Copies the lists. */
    public PlannedCopy {
        parts = List.copyOf(parts);
        schemaOnlyTables = List.copyOf(schemaOnlyTables);
        indexes = List.copyOf(indexes);
        constraints = List.copyOf(constraints);
        vacuums = List.copyOf(vacuums);
        postDataIndexes = List.copyOf(postDataIndexes);
    }

    /** The tables of the plan: those with parts, in plan order, then the schema-only ones. */
    public List<SourceTable> tables() {
        Set<SourceTable> tables = new LinkedHashSet<>();
        parts.forEach(p -> tables.add(p.table()));
        tables.addAll(schemaOnlyTables);
        return List.copyOf(tables);
    }

    /** The on-disk size of the tables to copy: the total that parts' {@link TablePart#bytes()} add up to. */
    public long bytes() {
        return parts.stream().mapToLong(TablePart::bytes).sum();
    }
}
