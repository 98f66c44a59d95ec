package io.pgcopydb.internal.filter;

import io.pgcopydb.filter.Filters.Entry;
import io.pgcopydb.filter.Filters.Section;
import io.pgcopydb.internal.catalog.CatalogGraph.Constraint;
import io.pgcopydb.internal.catalog.CatalogGraph.ObjectRef;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation.Kind;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation;
import io.pgcopydb.internal.catalog.CatalogGraph.SequenceDefault;
import io.pgcopydb.internal.catalog.CatalogGraph.SequenceOwner;
import io.pgcopydb.internal.catalog.CatalogGraph;
import io.pgcopydb.internal.filter.Selection.Problem.Severity;
import io.pgcopydb.internal.filter.Selection.Problem;
import io.pgcopydb.internal.filter.Selection.TableDecision;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The problems of one {@link Resolution}: entries matching nothing, objects the closure drops, foreign keys to rows
 * that are not copied. Errors stop a copy before it starts; warnings are logged and reported.
 */
final class ResolutionProblems {
    private final Resolution res;
    private final Set<Problem> problems = new LinkedHashSet<>();

    ResolutionProblems(Resolution res) {
        this.res = res;
    }

    private void problem(Severity severity, String object, String what, String remedy) {
        problems.add(new Problem(severity, object, what, remedy));
    }

    /** The problems found, errors first. */
    List<Problem> sorted() {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort((a, b) -> a.severity().compareTo(b.severity()));
        return sorted;
    }

    void reportClosedOver(long oid, ObjectRef from) {
        Relation r = res.relations.get(oid);
        boolean isNamed = res.named.contains(oid);
        problem(isNamed ? Severity.ERROR : Severity.WARNING, r.qualified(), describe(r.ref()) + " is skipped: it "
                + "depends on " + describe(from) + ", which the filter skips",
                isNamed ? "include that too or remove the includeOnlyTable entry" : "keep that to copy it");
    }

    void reportEntries() {
        for (Section section : Section.values()) {
            for (Entry e : res.filters.entries(section)) {
                if (!res.hit.contains(e)) {
                    boolean error = section.includeOnly() && !e.isPattern();
                    problem(error ? Severity.ERROR : Severity.WARNING, e.text(), e + " matches no "
                            + universe(section) + " of the source", error
                            ? "check the spelling (names are case-sensitive) or remove the entry"
                            : section.includeOnly() ? "it selects nothing" : "the entry has no effect");
                } else if (section == Section.INCLUDE_ONLY_TABLE
                        && res.matched.get(e).stream().noneMatch(r -> res.decision(r.oid()).selected()
                                || res.closedOverTables.contains(r.oid()))) {
                    problem(Severity.WARNING, e.text(), e + " matches " + res.matched.get(e).get(0).qualified()
                            + " but the schema sections (or a skipped partitioned parent) leave it out",
                            "select its schema or remove the entry");
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

    /** Constraints, res.defaults and other objects of kept tables that the res.closure drops. */
    void reportLostObjects() {
        for (Constraint c : res.graph.constraints()) {
            ObjectRef from = res.skipped.get(c.ref());
            if (from != null && res.decision(c.tableOid()).selected()) {
                Relation referenced = res.relations.get(c.referencedTableOid());
                boolean toSkippedTable = c.isForeignKey() && referenced != null
                        && !res.decision(referenced.oid()).selected();
                problem(Severity.WARNING, describe(c.ref()), describe(c.ref()) + (toSkippedTable
                        ? " references " + referenced.qualified() + ", which the filter skips: the key is not"
                                + " created on the target"
                        : " is not created: it depends on " + describe(from) + ", which the filter skips"),
                        toSkippedTable ? "keep " + referenced.qualified() + " to keep it" : "");
            }
        }
        for (SequenceDefault d : res.graph.sequenceDefaults()) {
            if (res.skipped.containsKey(d.ref()) && res.decision(d.tableOid()).selected()) {
                Relation seq = res.relations.get(d.sequenceOid());
                SequenceOwner owner = res.owners.get(d.sequenceOid());
                boolean identity = owner != null && owner.identity() && res.relations.containsKey(owner.tableOid());
                String why = identity ? "the identity sequence of " + res.relations.get(owner.tableOid()).qualified()
                        + ", which the filter skips" : "which the filter skips";
                String table = res.relations.get(d.tableOid()).qualified();
                problem(Severity.ERROR, table, "a column default of " + table + " uses sequence "
                        + (seq == null ? d.sequenceOid() : seq.qualified()) + ", " + why,
                        (identity ? "keep that table" : "keep it") + " or also exclude " + table);
            }
        }
        res.skipped.forEach((ref, from) -> {
            Relation r = res.relation(ref);
            boolean reported = ref.equals(from) || ref.classOid() == CatalogGraph.PG_CONSTRAINT
                    || ref.classOid() == CatalogGraph.PG_ATTRDEF || (r != null && r.isTableLike());
            if (!reported && res.closure.referencedBy(ref).stream().map(res::relation)
                    .anyMatch(t -> t != null && t.isTableLike() && res.decision(t.oid()).selected())) {
                problem(Severity.WARNING, describe(ref), describe(ref) + " is not restored: it depends on "
                        + describe(from) + ", which the filter skips", "");
            }
        });
    }

    /** Foreign keys of selected tables with rows, referencing rows that are not copied. */
    Set<Long> checkForeignKeys() {
        Set<Long> notValid = new TreeSet<>();
        for (Constraint c : res.graph.constraints()) {
            if (!c.isForeignKey() || !res.relations.containsKey(c.tableOid()) || res.skipped.containsKey(c.ref())
                    || !res.decision(c.tableOid()).selected() || !hasRows(c.tableOid())
                    || completeRows(c.referencedTableOid())) {
                continue;
            }
            String referenced = res.relations.get(c.referencedTableOid()).qualified();
            String whose = res.decision(c.referencedTableOid()) == TableDecision.SCHEMA_ONLY
                    ? "whose rows are not copied (excludeTableData)"
                    : "whose rows are only partly copied (some partitions are skipped or their data excluded)";
            if (res.foreignKeysNotValid) {
                notValid.add(c.oid());
                problem(Severity.WARNING, describe(c.ref()), describe(c.ref()) + " references " + referenced + ", "
                        + whose + ": it is created NOT VALID (foreignKeysNotValid())", "");
            } else {
                Relation table = res.relations.get(c.tableOid());
                problem(Severity.ERROR, "constraint " + c.name() + " on " + table.qualified(), describe(c.ref())
                        + " references " + referenced + ", " + whose + ": validating it would fail after the copy",
                        "also exclude the referencing data (excludeTableData \"" + table.entry() + "\") or create "
                        + "those foreign keys NOT VALID (foreignKeysNotValid())");
            }
        }
        return notValid;
    }

    /** Whether rows of {@code oid} (or of one of its res.partitions) are copied. */
    private boolean hasRows(long oid) {
        Relation r = res.relations.get(oid);
        if (r == null) {
            return true;
        }
        if (res.decision(oid) != TableDecision.COPY) {
            return false;
        }
        if (r.kind() == Kind.PARTITIONED_TABLE) {
            return res.partitions.getOrDefault(oid, List.of()).stream().anyMatch(p -> hasRows(p.oid()));
        }
        return r.kind() == Kind.TABLE || r.kind() == Kind.MATERIALIZED_VIEW;
    }

    /** Whether every row of {@code oid} is copied: it and all its res.partitions. */
    private boolean completeRows(long oid) {
        Relation r = res.relations.get(oid);
        if (r == null) {
            return true;
        }
        return res.decision(oid) == TableDecision.COPY
                && res.partitions.getOrDefault(oid, List.of()).stream().allMatch(p -> completeRows(p.oid()));
    }

    private String describe(ObjectRef ref) {
        Relation r = res.relation(ref);
        if (r != null) {
            return r.kind().word() + " " + r.qualified();
        }
        if (ref.classOid() == CatalogGraph.PG_CONSTRAINT && res.constraints.containsKey(ref.objectOid())) {
            Constraint c = res.constraints.get(ref.objectOid());
            Relation t = res.relations.get(c.tableOid());
            return (c.isForeignKey() ? "foreign key \"" : "constraint \"") + c.name() + "\" on "
                    + (t == null ? "table " + c.tableOid() : t.qualified());
        }
        if (ref.classOid() == CatalogGraph.PG_ATTRDEF && res.defaults.containsKey(ref.objectOid())) {
            Relation t = res.relations.get(res.defaults.get(ref.objectOid()).tableOid());
            return "a column default of " + (t == null ? "a table" : t.qualified());
        }
        if (ref.classOid() == CatalogGraph.PG_EXTENSION && res.extensions.containsKey(ref.objectOid())) {
            return "extension " + res.extensions.get(ref.objectOid()).name();
        }
        return res.closure.description(ref).orElse("object " + ref.classOid() + "/" + ref.objectOid());
    }
}
