package io.pgcopydb.internal.filter;

import io.pgcopydb.filter.Filters.Entry;
import io.pgcopydb.filter.Filters.Section;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.internal.catalog.CatalogGraph.Constraint;
import io.pgcopydb.internal.catalog.CatalogGraph.Extension;
import io.pgcopydb.internal.catalog.CatalogGraph.Namespace;
import io.pgcopydb.internal.catalog.CatalogGraph.ObjectRef;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation.Kind;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation;
import io.pgcopydb.internal.catalog.CatalogGraph.SequenceDefault;
import io.pgcopydb.internal.catalog.CatalogGraph.SequenceOwner;
import io.pgcopydb.internal.catalog.CatalogGraph;
import io.pgcopydb.internal.filter.Selection.TableDecision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state of one resolution of a {@link FilterScope}: the catalog graph indexed for lookups, what the filter's
 * entries matched, and the decisions taken so far. Used once, by one thread.
 */
final class Resolution {
    final Filters filters;
    final boolean foreignKeysNotValid;
    final CatalogGraph graph;
    final DependencyClosure closure;
    final Map<Long, Relation> relations = new LinkedHashMap<>();
    final Map<Long, List<Relation>> partitions = new HashMap<>();
    final Map<Long, SequenceOwner> owners = new HashMap<>();
    private final Map<Long, List<SequenceDefault>> defaultsBySequence = new HashMap<>();
    final Map<Long, Constraint> constraints = new HashMap<>();
    final Map<Long, SequenceDefault> defaults = new HashMap<>();
    final Map<Long, Extension> extensions = new HashMap<>();
    final Map<Entry, List<Relation>> matched = new LinkedHashMap<>();
    final Set<Entry> hit = new HashSet<>();
    private final Set<String> selectedSchemas = new TreeSet<>();
    private final Map<Long, TableDecision> decisions = new TreeMap<>();
    final Set<Long> named = new HashSet<>();
    final Set<Long> closedOverTables = new HashSet<>();
    private final Set<Long> excludedIndexes = new HashSet<>();
    private final ResolutionProblems problems = new ResolutionProblems(this);
    private Map<Long, Boolean> kept = Map.of();
    Map<ObjectRef, ObjectRef> skipped = Map.of();

    Resolution(Filters filters, boolean foreignKeysNotValid, CatalogGraph graph) {
        this.filters = filters;
        this.foreignKeysNotValid = foreignKeysNotValid;
        this.graph = graph;
        this.closure = new DependencyClosure(graph);
        for (Relation r : graph.relations()) {
            relations.put(r.oid(), r);
            if (r.parentOid() != 0) {
                partitions.computeIfAbsent(r.parentOid(), k -> new ArrayList<>()).add(r);
            }
        }
        graph.sequenceOwners().forEach(o -> owners.put(o.sequenceOid(), o));
        graph.sequenceDefaults().forEach(d -> {
            defaultsBySequence.computeIfAbsent(d.sequenceOid(), k -> new ArrayList<>()).add(d);
            defaults.put(d.defaultOid(), d);
        });
        graph.constraints().forEach(c -> constraints.put(c.oid(), c));
        graph.extensions().forEach(e -> extensions.put(e.oid(), e));
    }

    Selection resolve() {
        selectSchemas();
        decideTables();
        for (Relation r : relations.values()) {
            if (r.isIndex() && matches(Section.EXCLUDE_INDEX, r)) {
                excludedIndexes.add(r.oid());
            }
        }
        Map<Long, ObjectRef> closedOver = new LinkedHashMap<>();
        do {
            kept = sequences();
            skipped = closure.close(seeds(), ref -> isKeptSequence(ref));
            closedOver.clear();
            skipped.forEach((ref, from) -> {
                Relation r = relation(ref);
                if (r != null && r.isTableLike() && decision(r.oid()).selected()) {
                    closedOver.put(r.oid(), from);
                }
            });
            closedOver.keySet().forEach(oid -> decisions.put(oid, TableDecision.SKIP));
            closedOverTables.addAll(closedOver.keySet());
            closedOver.forEach(problems::reportClosedOver);
        } while (!closedOver.isEmpty());

        Set<Long> keptExtensions = new TreeSet<>();
        Set<ObjectRef> commentedOut = new TreeSet<>(skipped.keySet());
        for (Extension e : graph.extensions()) {
            // Both sections are tried for every name, so an entry's hits do not depend on the other section.
            boolean include = includes(Section.INCLUDE_ONLY_EXTENSION, e.name());
            if (include & !matches(Section.EXCLUDE_EXTENSION, e.name())) {
                keptExtensions.add(e.oid());
            } else {
                commentedOut.add(e.ref());
            }
        }
        problems.reportEntries();
        problems.reportLostObjects();
        Set<Long> notValid = problems.checkForeignKeys();
        return new Selection(decisions, indexesToBuild(), keptSequences(), matviewsToRefresh(), keptExtensions,
                selectedSchemas, schemasToCreate(keptExtensions), commentedOut, ownedByToDrop(), notValid,
                problems.sorted());
    }

    // ---- matching ----

    private boolean matches(Section section, String name) {
        boolean any = false;
        for (Entry e : filters.entries(section)) {
            if (e.matches(name)) {
                hit.add(e);
                any = true;
            }
        }
        return any;
    }

    private boolean matches(Section section, Relation r) {
        boolean any = false;
        for (Entry e : filters.entries(section)) {
            if (e.matches(r.schema(), r.name())) {
                hit.add(e);
                matched.computeIfAbsent(e, k -> new ArrayList<>()).add(r);
                any = true;
            }
        }
        return any;
    }

    /** An include-only section passes everything when unused; every entry is still tried, to record hits. */
    private boolean includes(Section section, String name) {
        boolean any = matches(section, name);
        return any || filters.entries(section).isEmpty();
    }

    private void selectSchemas() {
        Set<String> names = new TreeSet<>();
        graph.schemas().stream().map(Namespace::name).forEach(names::add);
        graph.relations().stream().map(Relation::schema).forEach(names::add);
        for (String name : names) {
            // Non-short-circuit: every entry is tried, so "matches nothing" means just that.
            boolean include = includes(Section.INCLUDE_ONLY_SCHEMA, name);
            if (include & !matches(Section.EXCLUDE_SCHEMA, name)) {
                selectedSchemas.add(name);
            }
        }
    }

    // ---- tables ----

    private void decideTables() {
        Map<Long, Boolean> direct = new HashMap<>();
        Map<Long, Boolean> excluded = new HashMap<>();
        Map<Long, Boolean> noData = new HashMap<>();
        for (Relation r : relations.values()) {
            if (r.isTableLike()) {
                direct.put(r.oid(), matches(Section.INCLUDE_ONLY_TABLE, r));
                excluded.put(r.oid(), matches(Section.EXCLUDE_TABLE, r));
                noData.put(r.oid(), matches(Section.EXCLUDE_TABLE_DATA, r));
                for (Entry e : filters.entries(Section.INCLUDE_ONLY_TABLE)) {
                    if (!e.isPattern() && e.matches(r.schema(), r.name())) {
                        named.add(r.oid());
                    }
                }
            }
        }
        boolean includeOnly = !filters.entries(Section.INCLUDE_ONLY_TABLE).isEmpty();
        Map<Long, Boolean> selected = new HashMap<>();
        for (Relation r : relations.values()) {
            if (r.isTableLike()) {
                boolean in = selected(r, includeOnly, direct, excluded, selected, 0);
                decisions.put(r.oid(), !in ? TableDecision.SKIP
                        : dataExcluded(r, noData, 0) ? TableDecision.SCHEMA_ONLY : TableDecision.COPY);
            }
        }
    }

    private boolean selected(Relation r, boolean includeOnly, Map<Long, Boolean> direct,
            Map<Long, Boolean> excluded, Map<Long, Boolean> memo, int depth) {
        Boolean known = memo.get(r.oid());
        if (known != null) {
            return known;
        }
        guard(r, depth);
        Relation parent = parentOf(r);
        boolean in = selectedSchemas.contains(r.schema()) && !excluded.get(r.oid())
                && (!includeOnly || direct.get(r.oid()) || ancestorMatches(r, direct)
                        || descendantMatches(r, direct))
                && (parent == null || selected(parent, includeOnly, direct, excluded, memo, depth + 1));
        memo.put(r.oid(), in);
        return in;
    }

    private boolean ancestorMatches(Relation r, Map<Long, Boolean> direct) {
        int depth = 0;
        for (Relation p = parentOf(r); p != null; p = parentOf(p)) {
            guard(p, ++depth);
            if (direct.getOrDefault(p.oid(), false)) {
                return true;
            }
        }
        return false;
    }

    private boolean descendantMatches(Relation r, Map<Long, Boolean> direct) {
        for (Relation child : partitions.getOrDefault(r.oid(), List.of())) {
            if (direct.getOrDefault(child.oid(), false) || descendantMatches(child, direct)) {
                return true;
            }
        }
        return false;
    }

    private boolean dataExcluded(Relation r, Map<Long, Boolean> noData, int depth) {
        guard(r, depth);
        Relation parent = parentOf(r);
        return noData.getOrDefault(r.oid(), false)
                || (parent != null && dataExcluded(parent, noData, depth + 1));
    }

    private void guard(Relation r, int depth) {
        if (depth > relations.size()) {
            throw new IllegalArgumentException("partition cycle through " + r.qualified()
                    + " in the catalog graph");
        }
    }

    private Relation parentOf(Relation r) {
        return r.parentOid() == 0 ? null : relations.get(r.parentOid());
    }

    TableDecision decision(long oid) {
        return decisions.getOrDefault(oid, TableDecision.COPY);
    }

    // ---- sequences and closure ----

    private Map<Long, Boolean> sequences() {
        Map<Long, Boolean> keep = new HashMap<>();
        for (Relation s : relations.values()) {
            if (s.kind() != Kind.SEQUENCE) {
                continue;
            }
            SequenceOwner owner = owners.get(s.oid());
            boolean ownerSelected = owner != null && decision(owner.tableOid()).selected();
            boolean usedBySelected = defaultsBySequence.getOrDefault(s.oid(), List.of()).stream()
                    .anyMatch(d -> decision(d.tableOid()).selected());
            boolean k;
            if (owner != null && owner.identity()) {
                // Created by its table's ADD GENERATED … AS IDENTITY: it cannot exist without the table.
                k = ownerSelected;
            } else {
                k = ownerSelected || usedBySelected || (owner == null && selectedSchemas.contains(s.schema()));
            }
            keep.put(s.oid(), k);
        }
        return keep;
    }

    private boolean isKeptSequence(ObjectRef ref) {
        return ref.classOid() == CatalogGraph.PG_CLASS && kept.getOrDefault(ref.objectOid(), false);
    }

    private List<ObjectRef> seeds() {
        List<ObjectRef> seeds = new ArrayList<>();
        for (Relation r : relations.values()) {
            if ((r.isTableLike() && !decision(r.oid()).selected())
                    || (r.kind() == Kind.SEQUENCE && !kept.get(r.oid()))
                    || excludedIndexes.contains(r.oid())) {
                seeds.add(r.ref());
            }
        }
        return seeds;
    }

    Relation relation(ObjectRef ref) {
        return ref.classOid() == CatalogGraph.PG_CLASS ? relations.get(ref.objectOid()) : null;
    }

    // ---- outputs ----

    private Set<Long> indexesToBuild() {
        Set<Long> build = new TreeSet<>();
        for (Relation r : relations.values()) {
            Relation table = relations.get(r.tableOid());
            if (r.kind() == Kind.INDEX && table != null && decision(table.oid()).selected()
                    && (table.kind() == Kind.TABLE || table.kind() == Kind.MATERIALIZED_VIEW)
                    && !skipped.containsKey(r.ref())) {
                build.add(r.oid());
            }
        }
        return build;
    }

    private Set<Long> keptSequences() {
        Set<Long> reset = new TreeSet<>();
        kept.forEach((oid, k) -> {
            if (k) {
                reset.add(oid);
            }
        });
        return reset;
    }

    private Set<Long> ownedByToDrop() {
        Set<Long> drop = new TreeSet<>();
        for (SequenceOwner o : owners.values()) {
            if (kept.getOrDefault(o.sequenceOid(), false) && !decision(o.tableOid()).selected()) {
                drop.add(o.sequenceOid());
            }
        }
        return drop;
    }

    private Set<Long> matviewsToRefresh() {
        Set<Long> refresh = new TreeSet<>();
        for (Relation r : relations.values()) {
            if (r.kind() == Kind.MATERIALIZED_VIEW && decision(r.oid()) == TableDecision.COPY) {
                refresh.add(r.oid());
            }
        }
        return refresh;
    }

    private Set<String> schemasToCreate(Set<Long> keptExtensions) {
        Set<String> create = new TreeSet<>(selectedSchemas);
        kept.forEach((oid, k) -> {
            if (k) {
                create.add(relations.get(oid).schema());
            }
        });
        keptExtensions.forEach(oid -> create.add(extensions.get(oid).schema()));
        return create;
    }
}
