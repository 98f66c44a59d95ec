package io.pgcopydb.internal.filter;

import io.pgcopydb.internal.catalog.CatalogGraph.ObjectRef;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a filter selects in one source catalog: the answer every stage of a copy reads, so that tables, data,
 * indexes, sequences, pre-data and post-data are filtered by one model. Produced by {@link FilterScope}.
 * Immutable; the sets iterate in OID order.
 *
 * @param tables the decision for every table-like relation of the graph (table, partitioned table,
 *     materialized view, foreign table)
 * @param indexesToBuild indexes ({@code relkind 'i'}) of selected tables and materialized views that are not
 *     excluded; partitioned-table indexes ({@code 'I'}) are never here, post-data creates them
 * @param sequencesToReset sequences kept on the target, whose values are set from the source
 * @param matviewsToRefresh selected materialized views whose data is not excluded
 * @param extensionsKept extensions created on the target
 * @param selectedSchemas schemas passing the schema sections
 * @param schemasToCreate {@code selectedSchemas} plus schemas holding a kept sequence or extension although
 *     the filter does not select them (only that object is created there)
 * @param commentedOut objects whose pre- and post-data entries must not be restored, by (catalog, OID)
 * @param ownedByToDrop kept sequences whose {@code SEQUENCE OWNED BY} entry must not be restored, because the
 *     owning table is skipped (that entry has no OID in the archive: match it by the sequence's name)
 * @param foreignKeysNotValid foreign keys to create {@code NOT VALID}, because the referenced rows are not copied
 * @param problems errors (the copy must not start) and warnings (the copy may start; log each once)
 */
public record Selection(Map<Long, TableDecision> tables, Set<Long> indexesToBuild, Set<Long> sequencesToReset,
        Set<Long> matviewsToRefresh, Set<Long> extensionsKept, Set<String> selectedSchemas,
        Set<String> schemasToCreate, Set<ObjectRef> commentedOut, Set<Long> ownedByToDrop,
        Set<Long> foreignKeysNotValid, List<Problem> problems) {

    /** Freezes every collection. */
    public Selection {
        tables = Collections.unmodifiableSortedMap(new TreeMap<>(tables));
        indexesToBuild = frozen(indexesToBuild);
        sequencesToReset = frozen(sequencesToReset);
        matviewsToRefresh = frozen(matviewsToRefresh);
        extensionsKept = frozen(extensionsKept);
        selectedSchemas = frozen(selectedSchemas);
        schemasToCreate = frozen(schemasToCreate);
        commentedOut = frozen(commentedOut);
        ownedByToDrop = frozen(ownedByToDrop);
        foreignKeysNotValid = frozen(foreignKeysNotValid);
        problems = List.copyOf(problems);
    }

    private static <T> SortedSet<T> frozen(Set<T> set) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(set));
    }

    /** What happens to one table-like relation. */
    public enum TableDecision {
        /** Created, and its rows copied (tables), refreshed (materialized views) or left remote (foreign tables). */
        COPY,
        /** Created with its indexes and constraints; no rows ({@code excludeTableData}). */
        SCHEMA_ONLY,
        /** Not created, nor anything depending on it. */
        SKIP;

        /** Whether the relation exists on the target. */
        public boolean selected() {
            return this != SKIP;
        }
    }

    /**
     * One finding about the filter: {@code what} is wrong with {@code object} (a filter entry's text, a relation
     * {@code schema.name}, {@code constraint name on schema.table}) and the {@code remedy}, empty for a warning
     * that needs none.
     */
    public record Problem(Severity severity, String object, String what, String remedy) {
        /** Whether the copy may start. */
        enum Severity {
            ERROR, WARNING
        }

        /** One line naming the entry or object and the fix: {@code what; remedy}. */
        public String message() {
            return remedy.isEmpty() ? what : what + "; " + remedy;
        }

        @Override
        public String toString() {
            return severity + ": " + message();
        }
    }

    /** Tables created on the target (with or without rows). */
    SortedSet<Long> selectedTables() {
        return with(d -> d.selected());
    }

    /** Tables created on the target whose rows are not copied. */
    SortedSet<Long> dataExcludedTables() {
        return with(d -> d == TableDecision.SCHEMA_ONLY);
    }

    /** Tables not created. */
    SortedSet<Long> skippedTables() {
        return with(d -> d == TableDecision.SKIP);
    }

    private SortedSet<Long> with(java.util.function.Predicate<TableDecision> p) {
        SortedSet<Long> oids = new TreeSet<>();
        for (Map.Entry<Long, TableDecision> e : tables.entrySet()) {
            if (p.test(e.getValue())) {
                oids.add(e.getKey());
            }
        }
        return Collections.unmodifiableSortedSet(oids);
    }

    /** The decision for a table-like relation; relations outside the graph are copied. */
    public TableDecision decision(long tableOid) {
        return tables.getOrDefault(tableOid, TableDecision.COPY);
    }

    /** The problems of severity ERROR: the copy must not start while there is one. */
    List<Problem> errors() {
        return problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
    }

    /** The problems of severity WARNING. */
    public List<Problem> warnings() {
        return problems.stream().filter(p -> p.severity() == Problem.Severity.WARNING).toList();
    }
}
