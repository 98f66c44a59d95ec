package io.pgcopydb.internal.filter;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.Problem;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.internal.catalog.CatalogGraph.Constraint;
import io.pgcopydb.internal.catalog.CatalogGraph.Namespace;
import io.pgcopydb.internal.catalog.CatalogGraph.ObjectRef;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation.Kind;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation;
import io.pgcopydb.internal.catalog.CatalogGraph;
import io.pgcopydb.internal.catalog.CatalogGraphReader;
import io.pgcopydb.internal.filter.Selection.TableDecision;
import io.pgcopydb.internal.postgres.TocLine;
import io.pgcopydb.model.Side;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.model.SourceTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resolved filter as the engine applies it: the {@link Selection} of one source snapshot plus what applying it
 * needs beyond OIDs — names as pg_restore's list prints them (composite entries such as {@code COMMENT},
 * {@code ACL}, {@code TABLE ATTACH} or {@code SEQUENCE OWNED BY} carry no OID) and the definitions of the foreign
 * keys created {@code NOT VALID}. Built in the catalog step, inside the snapshot; immutable.
 */
public final class FilterPlan {
    private static final Logger LOG = LoggerFactory.getLogger(FilterPlan.class);

    private static final String QUOTED_NAMES = """
            SELECT c.oid, pg_catalog.quote_ident(c.relname) FROM pg_catalog.pg_class c WHERE c.oid = ANY (?)""";
    private static final String QUOTED_CONSTRAINTS = """
            SELECT c.oid, pg_catalog.quote_ident(c.conname) FROM pg_catalog.pg_constraint c WHERE c.oid = ANY (?)""";
    private static final String QUOTED_SCHEMAS = """
            SELECT n.nspname, pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_namespace n""";
    private static final String NOT_VALID = """
            SELECT pg_catalog.format('ALTER TABLE ONLY %I.%I ADD CONSTRAINT %I %s NOT VALID', n.nspname, t.relname,
                                     c.conname, pg_catalog.pg_get_constraintdef(c.oid))
            FROM pg_catalog.pg_constraint c
            JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
            WHERE c.oid = ANY (?) ORDER BY n.nspname, t.relname, c.conname""";

    private final Selection selection;
    private final Map<Long, Relation> relations = new HashMap<>();
    private final Set<String> userSchemas = new HashSet<>();
    private final Set<String> extensionNames = new HashSet<>();
    /** Composite entries (no OID) to comment out, by the start of their text after the description. */
    private final Set<String> compositePrefixes = new HashSet<>();
    /** Composite entries of kept sequences in schemas the filter leaves out: they stay. */
    private final Set<String> keptPrefixes = new HashSet<>();
    private final List<String> notValidStatements;

    /**
     * @param quotedRelations relation OID to its name as pg_dump quotes it; unquoted when absent
     * @param quotedConstraints likewise for constraints
     * @param quotedSchemas schema name to its quoted form; likewise extensions, keyed {@code "\0ext:" + name}
     */
    FilterPlan(CatalogGraph graph, Selection selection, Map<Long, String> quotedRelations,
            Map<Long, String> quotedConstraints, Map<String, String> quotedSchemas, List<String> notValidStatements) {
        this.selection = selection;
        this.notValidStatements = List.copyOf(notValidStatements);
        graph.relations().forEach(r -> relations.put(r.oid(), r));
        graph.schemas().stream().map(Namespace::name).forEach(userSchemas::add);
        graph.extensions().stream().filter(e -> selection.extensionsKept().contains(e.oid()))
                .forEach(e -> extensionNames.add(e.name()));
        graph.extensions().stream().filter(e -> !selection.extensionsKept().contains(e.oid()))
                .forEach(e -> compositePrefixes.add(TocLine.sanitize("COMMENT - EXTENSION "
                        + quotedSchemas.getOrDefault("\0ext:" + e.name(), e.name()) + " ")));
        for (ObjectRef ref : selection.commentedOut()) {
            if (ref.classOid() == CatalogGraph.PG_CLASS && relations.containsKey(ref.objectOid())) {
                Relation r = relations.get(ref.objectOid());
                String quoted = quotedRelations.getOrDefault(r.oid(), r.name());
                String s = TocLine.sanitize(r.schema());
                addRelationPrefixes(compositePrefixes, r, s, quoted);
            }
        }
        Map<Long, Constraint> constraints = new HashMap<>();
        graph.constraints().forEach(c -> constraints.put(c.oid(), c));
        for (ObjectRef ref : selection.commentedOut()) {
            Constraint c = ref.classOid() == CatalogGraph.PG_CONSTRAINT ? constraints.get(ref.objectOid()) : null;
            Relation t = c == null ? null : relations.get(c.tableOid());
            if (t != null) {
                String tail = " " + TocLine.sanitize(t.schema()) + " CONSTRAINT "
                        + quotedConstraints.getOrDefault(c.oid(), c.name()) + " ON "
                        + quotedRelations.getOrDefault(t.oid(), t.name()) + " ";
                for (String desc : List.of("COMMENT", "SECURITY LABEL")) {
                    compositePrefixes.add(TocLine.sanitize(desc + tail));
                }
            }
        }
        for (long seq : selection.ownedByToDrop()) {
            Relation r = relations.get(seq);
            if (r != null) {
                compositePrefixes.add(ownedBy(r));
            }
        }
        for (String schema : userSchemas) {
            if (!selection.schemasToCreate().contains(schema)) {
                String quoted = quotedSchemas.getOrDefault(schema, schema);
                for (String desc : List.of("COMMENT", "ACL", "SECURITY LABEL")) {
                    compositePrefixes.add(TocLine.sanitize(desc + " - SCHEMA " + quoted + " "));
                }
            }
        }
        for (long seq : selection.sequencesToReset()) {
            Relation r = relations.get(seq);
            if (r != null && !selection.selectedSchemas().contains(r.schema())) {
                addRelationPrefixes(keptPrefixes, r, TocLine.sanitize(r.schema()),
                        quotedRelations.getOrDefault(r.oid(), r.name()));
                keptPrefixes.removeAll(compositePrefixes);
            }
        }
    }

    private static void addRelationPrefixes(Set<String> into, Relation r, String schema, String quoted) {
        String word = switch (r.kind()) {
            case TABLE, PARTITIONED_TABLE -> "TABLE";
            case MATERIALIZED_VIEW -> "MATERIALIZED VIEW";
            case FOREIGN_TABLE -> "FOREIGN TABLE";
            case VIEW -> "VIEW";
            case SEQUENCE -> "SEQUENCE";
            case INDEX, PARTITIONED_INDEX -> "INDEX";
        };
        for (String desc : List.of("COMMENT", "ACL", "SECURITY LABEL")) {
            into.add(TocLine.sanitize(desc + " " + schema + " " + word + " " + quoted + " "));
            if (r.isTableLike() || r.kind() == Kind.VIEW) {
                into.add(TocLine.sanitize(desc + " " + schema + " COLUMN " + quoted + "."));
            }
        }
        String name = TocLine.sanitize(r.name());
        if (r.isTableLike()) {
            into.add("TABLE ATTACH " + schema + " " + name + " ");
        }
        if (r.isIndex()) {
            into.add("INDEX ATTACH " + schema + " " + name + " ");
        }
        if (r.kind() == Kind.SEQUENCE) {
            into.add(ownedBy(r));
        }
    }

    private static String ownedBy(Relation r) {
        return "SEQUENCE OWNED BY " + TocLine.sanitize(r.schema()) + " " + TocLine.sanitize(r.name()) + " ";
    }

    /**
     * Reads the graph in the snapshot, resolves {@code filters}, logs the warnings, and fails before anything is
     * written when the selection has errors.
     *
     * @throws PgCopyException with one {@link ErrorCode#FILTER_REFUSED} problem per error, all in its message
     */
    public static FilterPlan resolve(Connection snapshot, Filters filters, boolean foreignKeysNotValid)
            throws SQLException {
        CatalogGraph graph = CatalogGraphReader.read(snapshot);
        Selection selection = new FilterScope(filters, foreignKeysNotValid).resolve(graph);
        List<Selection.Problem> errors = selection.errors();
        if (!errors.isEmpty()) {
            List<Problem> problems = errors.stream().map(e -> Problem.of(ErrorCode.FILTER_REFUSED, e.what(),
                    e.remedy()).withSide(Side.SOURCE).withObject(e.object())).toList();
            throw PgCopyException.builder(ErrorCode.FILTER_REFUSED, "the filter cannot be applied: "
                    + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")))
                    .problems(problems).phase(Phase.CATALOG).build();
        }
        Set<Long> relationOids = new HashSet<>();
        selection.commentedOut().stream().filter(r -> r.classOid() == CatalogGraph.PG_CLASS)
                .forEach(r -> relationOids.add(r.objectOid()));
        relationOids.addAll(selection.sequencesToReset());
        Set<Long> constraintOids = new HashSet<>();
        selection.commentedOut().stream().filter(r -> r.classOid() == CatalogGraph.PG_CONSTRAINT)
                .forEach(r -> constraintOids.add(r.objectOid()));
        graph.constraints().stream().filter(c -> constraintOids.contains(c.oid()))
                .forEach(c -> relationOids.add(c.tableOid()));
        Map<Long, String> quotedRelations = byOid(snapshot, QUOTED_NAMES, relationOids);
        Map<Long, String> quotedConstraints = byOid(snapshot, QUOTED_CONSTRAINTS, constraintOids);
        Map<String, String> quotedSchemas = new HashMap<>();
        try (Statement s = snapshot.createStatement(); ResultSet rs = s.executeQuery(QUOTED_SCHEMAS)) {
            while (rs.next()) {
                quotedSchemas.put(rs.getString(1), rs.getString(2));
            }
        }
        try (Statement s = snapshot.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT e.extname, pg_catalog.quote_ident(e.extname) FROM pg_catalog.pg_extension e")) {
            while (rs.next()) {
                quotedSchemas.put("\0ext:" + rs.getString(1), rs.getString(2));
            }
        }
        List<String> notValid = new ArrayList<>();
        if (!selection.foreignKeysNotValid().isEmpty()) {
            try (PreparedStatement ps = snapshot.prepareStatement(NOT_VALID)) {
                ps.setArray(1, snapshot.createArrayOf("oid", selection.foreignKeysNotValid().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        notValid.add(rs.getString(1));
                    }
                }
            }
        }
        LOG.info("Filter selects {} of {} tables ({} without their rows), {} indexes, {} sequences",
                selection.selectedTables().size(), selection.tables().size(), selection.dataExcludedTables().size(),
                selection.indexesToBuild().size(), selection.sequencesToReset().size());
        return new FilterPlan(graph, selection, quotedRelations, quotedConstraints, quotedSchemas, notValid);
    }

    private static Map<Long, String> byOid(Connection c, String sql, Set<Long> oids) throws SQLException {
        Map<Long, String> names = new HashMap<>();
        if (oids.isEmpty()) {
            return names;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("oid", oids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return names;
    }

    public Selection selection() {
        return selection;
    }

    /**
     * The catalog the planner sees: tables the filter skips are gone; tables under {@code excludeTableData} move
     * to {@link SourceCatalog#schemaOnlyTables()} (no rows to copy, but their indexes and constraints are built
     * by the index jobs like any other table's); indexes only those to build; sequences only those to reset.
     */
    public SourceCatalog restrict(SourceCatalog catalog) {
        List<SourceTable> tables = catalog.tables().stream()
                .filter(t -> selection.decision(t.oid()) == TableDecision.COPY).toList();
        List<SourceTable> schemaOnly = catalog.tables().stream()
                .filter(t -> selection.decision(t.oid()) == TableDecision.SCHEMA_ONLY).toList();
        Set<Long> created = new HashSet<>();
        tables.forEach(t -> created.add(t.oid()));
        schemaOnly.forEach(t -> created.add(t.oid()));
        return new SourceCatalog(tables,
                catalog.indexes().stream().filter(i -> created.contains(i.tableOid())
                        && (!relations.containsKey(i.oid()) || selection.indexesToBuild().contains(i.oid()))).toList(),
                catalog.sequences().stream().filter(s -> !relations.containsKey(s.oid())
                        || selection.sequencesToReset().contains(s.oid())).toList(),
                catalog.largeObjects(), schemaOnly,
                catalog.postDataIndexes().stream().filter(i -> selection.decision(i.tableOid()).selected()
                        && !selection.commentedOut().contains(ObjectRef.relation(i.oid()))).toList());
    }

    /** Whether a table (or partitioned table) of the source is created on the target; unknown ones are. */
    public boolean tableSelected(String schema, String name) {
        return relations.values().stream().filter(r -> r.isTableLike() && r.schema().equals(schema)
                && r.name().equals(name)).findFirst().map(r -> selection.decision(r.oid()).selected()).orElse(true);
    }

    /** The source's user relations the filter was resolved against (tables, views, sequences, indexes…). */
    public Collection<Relation> relations() {
        return Collections.unmodifiableCollection(relations.values());
    }

    /** Whether the configuration of extension {@code name} is copied. */
    public boolean extensionKept(String name) {
        return extensionNames.contains(name);
    }

    /** {@code ALTER TABLE ONLY … ADD CONSTRAINT … NOT VALID} for each foreign key created that way. */
    public List<String> notValidStatements() {
        return notValidStatements;
    }

    /**
     * {@code list} (pre- or post-data) with the entries of what the filter leaves out commented out. When the list
     * carries pg_restore's dependency lines ({@code pg_restore --list --verbose}: {@code ;\tdepends on: 12 34}
     * after an entry), an entry without an OID of its own (COMMENT, ACL, SECURITY LABEL, ATTACH…) that depends on
     * an entry left out goes too: so the comment or grant of a function the closure removed is never restored
     * onto nothing, whatever its signature looks like.
     */
    public List<String> apply(List<String> list) {
        Set<Integer> skipped = new HashSet<>();
        Map<Integer, List<Integer>> dependencies = dependencies(list);
        List<TocLine> entries = list.stream().map(TocLine::parse).flatMap(java.util.Optional::stream).toList();
        // A foreign key created NOT VALID by us later still exists: what depends on it (its comment) stays.
        entries.stream().filter(this::skip).filter(e -> !(e.is("FK CONSTRAINT")
                && selection.foreignKeysNotValid().contains(e.objectOid()))).forEach(e -> skipped.add(e.dumpId()));
        Set<Integer> notValid = new HashSet<>();
        entries.stream().filter(this::skip).forEach(e -> notValid.add(e.dumpId()));
        notValid.removeAll(skipped);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (TocLine e : entries) {
                if (e.catalogOid() == 0 && !skipped.contains(e.dumpId())
                        && dependencies.getOrDefault(e.dumpId(), List.of()).stream().anyMatch(skipped::contains)) {
                    skipped.add(e.dumpId());
                    grew = true;
                }
            }
        }
        return list.stream().map(line -> TocLine.parse(line).filter(e -> skipped.contains(e.dumpId())
                || notValid.contains(e.dumpId())).map(e -> ";" + line).orElse(line)).toList();
    }

    /** The {@code ;\tdepends on: …} lines of a verbose list, by the dump id of the entry they follow. */
    static Map<Integer, List<Integer>> dependencies(List<String> list) {
        Map<Integer, List<Integer>> deps = new HashMap<>();
        Integer current = null;
        for (String line : list) {
            // An entry an earlier stage commented out still owns the dependency lines after it.
            java.util.Optional<TocLine> e = TocLine.parse(line.startsWith(";") ? line.substring(1) : line);
            if (e.isPresent()) {
                current = e.get().dumpId();
            } else if (current != null && line.startsWith(";") && line.contains("depends on:")) {
                List<Integer> ids = new ArrayList<>();
                for (String id : line.substring(line.indexOf("depends on:") + 11).trim().split("\\s+")) {
                    if (!id.isEmpty()) {
                        ids.add(Integer.parseInt(id));
                    }
                }
                deps.computeIfAbsent(current, k -> new ArrayList<>()).addAll(ids);
            }
        }
        return deps;
    }

    private boolean skip(TocLine e) {
        if (e.catalogOid() != 0 && selection.commentedOut().contains(new ObjectRef(e.catalogOid(), e.objectOid()))) {
            return true;
        }
        if (e.is("SCHEMA")) {
            String name = e.schemaName();
            return userSchemas.contains(name) && !selection.schemasToCreate().contains(name);
        }
        if (e.is("MATERIALIZED VIEW DATA")) {
            Relation r = relations.get(e.objectOid());
            return r != null && !selection.matviewsToRefresh().contains(r.oid());
        }
        if (e.is("FK CONSTRAINT") && selection.foreignKeysNotValid().contains(e.objectOid())) {
            return true;
        }
        String afterDesc = e.rest().substring(Math.min(e.rest().length(), e.description().length() + 1));
        if (e.catalogOid() == 0 && compositePrefixes.stream().anyMatch(e.rest()::startsWith)) {
            return true;
        }
        // Everything else in a schema the filter leaves out (functions, types…), but kept sequences there.
        int space = afterDesc.indexOf(' ');
        String namespace = space < 0 ? afterDesc : afterDesc.substring(0, space);
        if (!userSchemas.contains(namespace) || selection.selectedSchemas().contains(namespace)) {
            return false;
        }
        boolean keptSequence = e.catalogOid() == CatalogGraph.PG_CLASS
                && selection.sequencesToReset().contains(e.objectOid());
        boolean keptComposite = e.catalogOid() == 0 && keptPrefixes.stream().anyMatch(e.rest()::startsWith);
        return !keptSequence && !keptComposite;
    }
}
