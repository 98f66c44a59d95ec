package io.pgcopydb.internal.filter;

import io.pgcopydb.filter.Filters;
import io.pgcopydb.filter.ListedDependency;
import io.pgcopydb.internal.catalog.CatalogGraph;
import io.pgcopydb.internal.catalog.CatalogGraph.ObjectRef;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation;
import io.pgcopydb.internal.catalog.CatalogGraphReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code list depends}: what a copy leaves out because it depends on a table or sequence the filter skips — the
 * same {@link DependencyClosure} the copy's filter closes over, seeded with what the filter's sections skip by
 * themselves, each object named by {@code pg_identify_object}.
 */
final class DependencyLister {
    private static final String IDENTIFY = """
            SELECT u.c, u.o, i.type, i.identity
            FROM ROWS FROM (pg_catalog.unnest(?::pg_catalog.int8[]), pg_catalog.unnest(?::pg_catalog.int8[])) AS u(c, o),
                 LATERAL pg_catalog.pg_identify_object(u.c::pg_catalog.oid, u.o::pg_catalog.oid, 0) i""";

    private DependencyLister() {
    }

    /** The objects left out for depending on what {@code filters} skip, by type and identity. */
    static List<ListedDependency> list(Connection c, Filters filters) throws SQLException {
        CatalogGraph graph = CatalogGraphReader.read(c);
        Selection selection = new FilterScope(filters, false).resolve(graph);
        // The seeds are what the filter's sections skip by themselves: resolved without the generic pg_depend
        // edges, a materialized view reading a skipped table is kept, so the full closure lists it as a dependent.
        Selection direct = new FilterScope(filters, false).resolve(new CatalogGraph(graph.schemas(),
                graph.relations(), graph.constraints(), graph.sequenceOwners(), graph.sequenceDefaults(),
                graph.extensions(), List.of()));
        List<ObjectRef> seeds = new ArrayList<>();
        for (Relation r : graph.relations()) {
            boolean skippedTable = r.isTableLike() && !direct.decision(r.oid()).selected();
            boolean skippedSequence = r.kind() == Relation.Kind.SEQUENCE
                    && !direct.sequencesToReset().contains(r.oid());
            if (skippedTable || skippedSequence) {
                seeds.add(r.ref());
            }
        }
        // A kept sequence owned by a skipped table stays (only its OWNED BY goes), as in the copy's closure.
        Map<ObjectRef, ObjectRef> reached = new DependencyClosure(graph).close(seeds,
                ref -> ref.classOid() == CatalogGraph.PG_CLASS && selection.sequencesToReset().contains(ref.objectOid()));
        Set<ObjectRef> named = new LinkedHashSet<>(reached.keySet());
        named.addAll(reached.values());
        Map<ObjectRef, String[]> identities = identify(c, named);
        List<ListedDependency> list = new ArrayList<>();
        reached.forEach((object, from) -> {
            String[] id = identities.get(object);
            if (!object.equals(from) && id != null && !id[0].startsWith("toast")) {
                String[] of = identities.getOrDefault(from, new String[] {"", from.toString()});
                list.add(new ListedDependency(object.classOid(), object.objectOid(), id[0], id[1], of[1]));
            }
        });
        list.sort(Comparator.comparing(ListedDependency::type).thenComparing(ListedDependency::identity));
        return list;
    }

    /** {@code {type, identity}} of each object, from {@code pg_identify_object}; objects gone since are absent. */
    private static Map<ObjectRef, String[]> identify(Connection c, Set<ObjectRef> refs) throws SQLException {
        Map<ObjectRef, String[]> out = new HashMap<>();
        if (refs.isEmpty()) {
            return out;
        }
        Long[] classes = refs.stream().map(ObjectRef::classOid).toArray(Long[]::new);
        Long[] objects = refs.stream().map(ObjectRef::objectOid).toArray(Long[]::new);
        Array classArray = c.createArrayOf("int8", classes);
        Array objectArray = c.createArrayOf("int8", objects);
        try (PreparedStatement ps = c.prepareStatement(IDENTIFY)) {
            ps.setArray(1, classArray);
            ps.setArray(2, objectArray);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(3) != null && rs.getString(4) != null) {
                        out.put(new ObjectRef(rs.getLong(1), rs.getLong(2)), new String[] {rs.getString(3),
                            rs.getString(4)});
                    }
                }
            }
        }
        return out;
    }
}
