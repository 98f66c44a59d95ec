package io.pgcopydb.internal.filter;

import io.pgcopydb.internal.catalog.CatalogGraph;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.filter.Filters.Entry;
import io.pgcopydb.filter.Filters.Section;
import io.pgcopydb.internal.catalog.CatalogGraph.Constraint;
import io.pgcopydb.internal.catalog.CatalogGraph.Extension;
import io.pgcopydb.internal.catalog.CatalogGraph.Namespace;
import io.pgcopydb.internal.catalog.CatalogGraph.ObjectRef;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation.Kind;
import io.pgcopydb.internal.catalog.CatalogGraph.SequenceDefault;
import io.pgcopydb.internal.catalog.CatalogGraph.SequenceOwner;
import io.pgcopydb.internal.filter.Selection.Problem;
import io.pgcopydb.internal.filter.Selection.Problem.Severity;
import io.pgcopydb.internal.filter.Selection.TableDecision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resolves a {@link Filters} against a {@link CatalogGraph}: the one place that decides what a filter means,
 * so the table list, pg_restore's lists, sequences, indexes and matview refreshes all agree. Pure and
 * thread-safe; a resolution reads nothing but its arguments.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li><b>Schemas</b> pass when they match include-only-schema (if used) and no exclude-schema entry.
 *   <li><b>Tables</b> (tables, partitioned tables, materialized views, foreign tables) are selected when their
 *       schema passes, they pass include-only-table (if used) and match no exclude-table entry. Partitions: a
 *       partition whose partitioned parent is not selected is not selected (it cannot exist alone); matching a
 *       partitioned table in include-only-table selects all its partitions, matching a partition selects it
 *       and keeps its ancestors' definitions (not their other partitions); exclude-table on a partition
 *       skips only that partition. exclude-table-data on a partitioned table applies to all its partitions.
 *   <li><b>Closure</b>: everything depending on a skipped table, skipped sequence or excluded index is skipped
 *       too (views, constraints, triggers, defaults, inheritance children, matviews…). A selected table reached
 *       this way is skipped with a warning (an error when an exact include-only-table entry names it).
 *   <li><b>Sequences</b> are kept when owned by a selected table (an identity sequence only then), or used in
 *       a column default of a selected table (even in a schema the filter leaves out, #390; if its owner is
 *       skipped its {@code SEQUENCE OWNED BY} is dropped), or unowned in a selected schema (#817). Kept
 *       sequences are reset; the others are skipped. Steps 3 and 4 repeat until nothing changes.
 *   <li><b>Indexes</b> of selected tables and matviews are built unless excluded or closed over;
 *       <b>extensions</b> pass include-only-extension (if used) and no exclude-extension entry; schema filters
 *       do not apply to extensions.
 * </ol>
 *
 * <p>Problems: an exact include-only entry matching nothing is an error, any other entry matching nothing a
 * warning. A foreign key from a selected table with rows to a table whose rows are (partly) not copied would
 * fail when post-data validates it: an error offering {@code excludeTableData} on the referencing table or
 * {@code foreignKeysNotValid()}, with which it is a warning and the key is listed to be created
 * {@code NOT VALID}. A constraint, default or other object of a selected table dropped by the closure is a
 * warning (a foreign key to a skipped table cannot be created at all).
 */
public final class FilterScope {
    private final Filters filters;
    private final boolean foreignKeysNotValid;

    /**
     * @param foreignKeysNotValid whether foreign keys referencing rows that are not copied are created
     *     {@code NOT VALID} (a warning) instead of stopping the copy (an error)
     */
    FilterScope(Filters filters, boolean foreignKeysNotValid) {
        this.filters = Objects.requireNonNull(filters, "filters");
        this.foreignKeysNotValid = foreignKeysNotValid;
    }

    /** What {@code filters} select in {@code graph}. */
    Selection resolve(CatalogGraph graph) {
        return new Run(Objects.requireNonNull(graph, "graph")).resolve();
    }

    /** The state of one resolution. */
    private final class Run {
        private final CatalogGraph graph;
        private final DependencyClosure closure;
        private final Map<Long, Relation> relations = new LinkedHashMap<>();
        private final Map<Long, List<Relation>> partitions = new HashMap<>();
        private final Map<Long, SequenceOwner> owners = new HashMap<>();
        private final Map<Long, List<SequenceDefault>> defaultsBySequence = new HashMap<>();
        private final Map<Long, Constraint> constraints = new HashMap<>();
        private final Map<Long, SequenceDefault> defaults = new HashMap<>();
        private final Map<Long, Extension> extensions = new HashMap<>();
        private final Map<Entry, List<Relation>> matched = new LinkedHashMap<>();
        private final Set<Entry> hit = new HashSet<>();
        private final Set<String> selectedSchemas = new TreeSet<>();
        private final Map<Long, TableDecision> decisions = new TreeMap<>();
        private final Set<Long> named = new HashSet<>();
        private final Set<Long> closedOverTables = new HashSet<>();
        private final Set<Long> excludedIndexes = new HashSet<>();
        private final Set<Problem> problems = new LinkedHashSet<>();
        private Map<Long, Boolean> kept = Map.of();
        private Map<ObjectRef, ObjectRef> skipped = Map.of();

        Run(CatalogGraph graph) {
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
                closedOver.forEach(this::reportClosedOver);
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
            reportEntries();
            reportLostObjects();
            Set<Long> notValid = checkForeignKeys();
            return new Selection(decisions, indexesToBuild(), keptSequences(), matviewsToRefresh(), keptExtensions,
                    selectedSchemas, schemasToCreate(keptExtensions), commentedOut, ownedByToDrop(), notValid,
                    sortedProblems());
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

        private TableDecision decision(long oid) {
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

        private Relation relation(ObjectRef ref) {
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

        // ---- problems ----

        private void problem(Severity severity, String message) {
            problems.add(new Problem(severity, message));
        }

        private List<Problem> sortedProblems() {
            List<Problem> sorted = new ArrayList<>(problems);
            sorted.sort((a, b) -> a.severity().compareTo(b.severity()));
            return sorted;
        }

        private void reportClosedOver(long oid, ObjectRef from) {
            Relation r = relations.get(oid);
            boolean isNamed = named.contains(oid);
            problem(isNamed ? Severity.ERROR : Severity.WARNING, describe(r.ref()) + " is skipped: it depends on "
                    + describe(from) + ", which the filter skips; "
                    + (isNamed ? "include that too or remove the includeOnlyTable entry" : "keep that to copy it"));
        }

        private void reportEntries() {
            for (Section section : Section.values()) {
                for (Entry e : filters.entries(section)) {
                    if (!hit.contains(e)) {
                        boolean error = section.includeOnly() && !e.isPattern();
                        problem(error ? Severity.ERROR : Severity.WARNING, e + " matches no " + universe(section)
                                + " of the source; " + (error
                                ? "check the spelling (names are case-sensitive) or remove the entry"
                                : section.includeOnly() ? "it selects nothing" : "the entry has no effect"));
                    } else if (section == Section.INCLUDE_ONLY_TABLE
                            && matched.get(e).stream().noneMatch(r -> decision(r.oid()).selected()
                                    || closedOverTables.contains(r.oid()))) {
                        problem(Severity.WARNING, e + " matches " + matched.get(e).get(0).qualified()
                                + " but the schema sections (or a skipped partitioned parent) leave it out;"
                                + " select its schema or remove the entry");
                    }
                }
            }
        }

        private String universe(Section section) {
            return switch (section) {
                case INCLUDE_ONLY_SCHEMA, EXCLUDE_SCHEMA -> "schema";
                case INCLUDE_ONLY_EXTENSION, EXCLUDE_EXTENSION -> "extension";
                case EXCLUDE_INDEX -> "index";
                default -> "table, partitioned table, materialized view or foreign table";
            };
        }

        /** Constraints, defaults and other objects of kept tables that the closure drops. */
        private void reportLostObjects() {
            for (Constraint c : graph.constraints()) {
                ObjectRef from = skipped.get(c.ref());
                if (from != null && decision(c.tableOid()).selected()) {
                    Relation referenced = relations.get(c.referencedTableOid());
                    boolean toSkippedTable = c.isForeignKey() && referenced != null
                            && !decision(referenced.oid()).selected();
                    problem(Severity.WARNING, describe(c.ref()) + (toSkippedTable
                            ? " references " + referenced.qualified() + ", which the filter skips: the key is not"
                                    + " created on the target; keep " + referenced.qualified() + " to keep it"
                            : " is not created: it depends on " + describe(from) + ", which the filter skips"));
                }
            }
            for (SequenceDefault d : graph.sequenceDefaults()) {
                if (skipped.containsKey(d.ref()) && decision(d.tableOid()).selected()) {
                    Relation seq = relations.get(d.sequenceOid());
                    SequenceOwner owner = owners.get(d.sequenceOid());
                    String why = owner != null && owner.identity() && relations.containsKey(owner.tableOid())
                            ? "the identity sequence of " + relations.get(owner.tableOid()).qualified() + ", which"
                                    + " the filter skips: keep that table or also exclude "
                            : "which the filter skips: keep it or also exclude ";
                    problem(Severity.ERROR, "a column default of " + relations.get(d.tableOid()).qualified()
                            + " uses sequence " + (seq == null ? d.sequenceOid() : seq.qualified()) + ", " + why
                            + relations.get(d.tableOid()).qualified());
                }
            }
            skipped.forEach((ref, from) -> {
                Relation r = relation(ref);
                boolean reported = ref.equals(from) || ref.classOid() == CatalogGraph.PG_CONSTRAINT
                        || ref.classOid() == CatalogGraph.PG_ATTRDEF || (r != null && r.isTableLike());
                if (!reported && closure.referencedBy(ref).stream().map(this::relation)
                        .anyMatch(t -> t != null && t.isTableLike() && decision(t.oid()).selected())) {
                    problem(Severity.WARNING, describe(ref) + " is not restored: it depends on " + describe(from)
                            + ", which the filter skips");
                }
            });
        }

        /** Foreign keys of selected tables with rows, referencing rows that are not copied. */
        private Set<Long> checkForeignKeys() {
            Set<Long> notValid = new TreeSet<>();
            for (Constraint c : graph.constraints()) {
                if (!c.isForeignKey() || !relations.containsKey(c.tableOid()) || skipped.containsKey(c.ref())
                        || !decision(c.tableOid()).selected() || !hasRows(c.tableOid())
                        || completeRows(c.referencedTableOid())) {
                    continue;
                }
                String referenced = relations.get(c.referencedTableOid()).qualified();
                String whose = decision(c.referencedTableOid()) == TableDecision.SCHEMA_ONLY
                        ? "whose rows are not copied (excludeTableData)"
                        : "whose rows are only partly copied (some partitions are skipped or their data excluded)";
                if (foreignKeysNotValid) {
                    notValid.add(c.oid());
                    problem(Severity.WARNING, describe(c.ref()) + " references " + referenced + ", " + whose
                            + ": it is created NOT VALID (foreignKeysNotValid())");
                } else {
                    problem(Severity.ERROR, describe(c.ref()) + " references " + referenced + ", " + whose
                            + ": validating it would fail after the copy; also exclude the referencing data"
                            + " (excludeTableData \"" + relations.get(c.tableOid()).entry() + "\") or create those"
                            + " foreign keys NOT VALID (foreignKeysNotValid())");
                }
            }
            return notValid;
        }

        /** Whether rows of {@code oid} (or of one of its partitions) are copied. */
        private boolean hasRows(long oid) {
            Relation r = relations.get(oid);
            if (r == null) {
                return true;
            }
            if (decision(oid) != TableDecision.COPY) {
                return false;
            }
            if (r.kind() == Kind.PARTITIONED_TABLE) {
                return partitions.getOrDefault(oid, List.of()).stream().anyMatch(p -> hasRows(p.oid()));
            }
            return r.kind() == Kind.TABLE || r.kind() == Kind.MATERIALIZED_VIEW;
        }

        /** Whether every row of {@code oid} is copied: it and all its partitions. */
        private boolean completeRows(long oid) {
            Relation r = relations.get(oid);
            if (r == null) {
                return true;
            }
            return decision(oid) == TableDecision.COPY
                    && partitions.getOrDefault(oid, List.of()).stream().allMatch(p -> completeRows(p.oid()));
        }

        private String describe(ObjectRef ref) {
            Relation r = relation(ref);
            if (r != null) {
                return r.kind().word() + " " + r.qualified();
            }
            if (ref.classOid() == CatalogGraph.PG_CONSTRAINT && constraints.containsKey(ref.objectOid())) {
                Constraint c = constraints.get(ref.objectOid());
                Relation t = relations.get(c.tableOid());
                return (c.isForeignKey() ? "foreign key \"" : "constraint \"") + c.name() + "\" on "
                        + (t == null ? "table " + c.tableOid() : t.qualified());
            }
            if (ref.classOid() == CatalogGraph.PG_ATTRDEF && defaults.containsKey(ref.objectOid())) {
                Relation t = relations.get(defaults.get(ref.objectOid()).tableOid());
                return "a column default of " + (t == null ? "a table" : t.qualified());
            }
            if (ref.classOid() == CatalogGraph.PG_EXTENSION && extensions.containsKey(ref.objectOid())) {
                return "extension " + extensions.get(ref.objectOid()).name();
            }
            return closure.description(ref).orElse("object " + ref.classOid() + "/" + ref.objectOid());
        }
    }
}
