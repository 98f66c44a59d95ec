package io.pgcopydb.internal.filter;

import io.pgcopydb.internal.catalog.CatalogGraph.Constraint;
import io.pgcopydb.internal.catalog.CatalogGraph.Dependency;
import io.pgcopydb.internal.catalog.CatalogGraph.ObjectRef;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation;
import io.pgcopydb.internal.catalog.CatalogGraph.SequenceDefault;
import io.pgcopydb.internal.catalog.CatalogGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Everything that cannot exist without a set of skipped objects: the objects themselves plus, transitively,
 * whatever depends on them. Besides the graph's pg_depend edges it follows the edges the typed parts of the
 * graph imply (index on its table, partition on its parent, constraint on its table, its index and, for a
 * foreign key, the referenced table, column default on its table and its sequence), so a graph without
 * generic dependencies still closes correctly.
 */
final class DependencyClosure {
    private final Map<ObjectRef, List<ObjectRef>> dependents = new HashMap<>();
    private final Map<ObjectRef, List<ObjectRef>> references = new HashMap<>();
    private final Map<ObjectRef, String> descriptions = new HashMap<>();

    DependencyClosure(CatalogGraph graph) {
        for (Relation r : graph.relations()) {
            if (r.isIndex() && r.tableOid() != 0) {
                edge(r.ref(), ObjectRef.relation(r.tableOid()));
            }
            if (r.parentOid() != 0) {
                edge(r.ref(), ObjectRef.relation(r.parentOid()));
            }
        }
        for (Constraint c : graph.constraints()) {
            edge(c.ref(), ObjectRef.relation(c.tableOid()));
            if (c.referencedTableOid() != 0) {
                edge(c.ref(), ObjectRef.relation(c.referencedTableOid()));
            }
            if (c.indexOid() != 0) {
                edge(c.ref(), ObjectRef.relation(c.indexOid()));
            }
        }
        for (SequenceDefault d : graph.sequenceDefaults()) {
            edge(d.ref(), ObjectRef.relation(d.tableOid()));
            edge(d.ref(), ObjectRef.relation(d.sequenceOid()));
        }
        for (Dependency d : graph.dependencies()) {
            edge(d.object(), d.referenced());
            if (!d.description().isEmpty()) {
                descriptions.putIfAbsent(d.object(), d.description());
            }
        }
    }

    private void edge(ObjectRef object, ObjectRef referenced) {
        if (!object.equals(referenced)) {
            dependents.computeIfAbsent(referenced, k -> new ArrayList<>()).add(object);
            references.computeIfAbsent(object, k -> new ArrayList<>()).add(referenced);
        }
    }

    /** The objects {@code object} depends on directly. */
    List<ObjectRef> referencedBy(ObjectRef object) {
        return references.getOrDefault(object, List.of());
    }

    /** How the graph's dependencies describe {@code object}, if they do. */
    java.util.Optional<String> description(ObjectRef object) {
        return java.util.Optional.ofNullable(descriptions.get(object));
    }

    /**
     * The closure of {@code seeds}, each object mapped to the object it was reached from (seeds map to
     * themselves). Objects for which {@code exempt} holds are neither entered nor crossed: a kept sequence owned
     * by a skipped table stays, only its {@code OWNED BY} goes.
     */
    Map<ObjectRef, ObjectRef> close(Collection<ObjectRef> seeds, Predicate<ObjectRef> exempt) {
        Map<ObjectRef, ObjectRef> reachedFrom = new LinkedHashMap<>();
        Deque<ObjectRef> queue = new ArrayDeque<>();
        for (ObjectRef seed : seeds) {
            if (reachedFrom.putIfAbsent(seed, seed) == null) {
                queue.add(seed);
            }
        }
        while (!queue.isEmpty()) {
            ObjectRef next = queue.poll();
            for (ObjectRef dependent : dependents.getOrDefault(next, List.of())) {
                if (!exempt.test(dependent) && reachedFrom.putIfAbsent(dependent, next) == null) {
                    queue.add(dependent);
                }
            }
        }
        return reachedFrom;
    }
}
