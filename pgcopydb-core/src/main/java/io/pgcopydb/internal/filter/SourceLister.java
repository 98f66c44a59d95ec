package io.pgcopydb.internal.filter;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.filter.ListedObject.Decision;
import io.pgcopydb.filter.ListedDependency;
import io.pgcopydb.filter.ListedObject;
import io.pgcopydb.filter.SourceListing;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation;
import io.pgcopydb.internal.catalog.CatalogGraph;
import io.pgcopydb.internal.catalog.CatalogGraphReader;
import io.pgcopydb.internal.filter.Selection.Problem;
import io.pgcopydb.internal.filter.Selection.TableDecision;
import io.pgcopydb.internal.postgres.ConnectionFailures;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.Side;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a filter against the source without copying: the same {@link CatalogGraphReader} and
 * {@link FilterScope} a copy uses in its catalog step, in one read-only snapshot.
 */
public final class SourceLister {
    private static final String SIZES = """
            SELECT c.oid, CASE WHEN c.relkind IN ('i', 'I') THEN pg_catalog.pg_relation_size(c.oid)
                               ELSE pg_catalog.pg_table_size(c.oid) END
            FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'p', 'm', 'f', 'i', 'I')""";

    private SourceLister() {
    }

    public static SourceListing list(ConnectionSpec source, Filters filters) {
        return read(source, c -> {
            CatalogGraph graph = CatalogGraphReader.read(c);
            Selection selection = new FilterScope(filters, false).resolve(graph);
            Map<Long, Long> sizes = new HashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SIZES)) {
                while (rs.next()) {
                    sizes.put(rs.getLong(1), rs.getLong(2));
                }
            }
            return listing(graph, selection, sizes);
        });
    }

    /** What a copy with {@code filters} leaves out for depending on what they skip ({@code list depends}). */
    public static List<ListedDependency> dependencies(ConnectionSpec source, Filters filters) {
        return read(source, c -> DependencyLister.list(c, filters));
    }

    /** Something read from the source in one read-only transaction. */
    @FunctionalInterface
    public interface Reader<T> {
        /** Reads it on {@code c}. */
        T read(Connection c) throws SQLException;
    }

    /**
     * Runs {@code reader} in one read-only transaction of the source, rolled back after; a failure becomes a
     * {@link PgCopyException} with its typed problem (connecting, a missing privilege, or else a bug).
     */
    public static <T> T read(ConnectionSpec source, Reader<T> reader) {
        try (Connection c = Sessions.openSource(source, Optional.empty())) {
            try {
                return reader.read(c);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            io.pgcopydb.Problem problem = problem(source, e);
            throw PgCopyException.builder(problem.code(), problem.toString()).problem(problem)
                    .phase(Phase.CATALOG).cause(e).build();
        }
    }

    /** Why listing failed: connecting, a missing privilege, or else a bug. */
    private static io.pgcopydb.Problem problem(ConnectionSpec source, SQLException e) {
        if (Errors.isConnectionError(e)) {
            return ConnectionFailures.problem(Side.SOURCE, source, e);
        }
        String state = Errors.sqlState(e).orElse(null);
        String message = "cannot list the source " + source.toUri() + ": " + Errors.message(e);
        io.pgcopydb.Problem p = "42501".equals(state)
                ? io.pgcopydb.Problem.of(ErrorCode.PRIVILEGE_MISSING, message, "list as a role that can read the "
                        + "source's catalog and tables")
                : io.pgcopydb.Problem.of(ErrorCode.INTERNAL, message, "this is a bug: report it with the log");
        return p.withSide(Side.SOURCE).withSqlState(state);
    }

    static SourceListing listing(CatalogGraph graph, Selection selection, Map<Long, Long> sizes) {
        Map<Long, Relation> byOid = new HashMap<>();
        graph.relations().forEach(r -> byOid.put(r.oid(), r));
        List<ListedObject> tables = new ArrayList<>();
        List<ListedObject> indexes = new ArrayList<>();
        List<ListedObject> sequences = new ArrayList<>();
        for (Relation r : graph.relations()) {
            QualifiedName name = new QualifiedName(r.schema(), r.name());
            long bytes = sizes.getOrDefault(r.oid(), 0L);
            if (r.isTableLike()) {
                Decision d = switch (selection.decision(r.oid())) {
                    case COPY -> Decision.COPY;
                    case SCHEMA_ONLY -> Decision.SCHEMA_ONLY;
                    case SKIP -> Decision.SKIP;
                };
                tables.add(new ListedObject(kind(r), r.oid(), name, Optional.empty(), d, bytes));
            } else if (r.kind() == Relation.Kind.INDEX) {
                // Partitioned-table indexes are never built on their own: their partitions' indexes are listed.
                Relation table = byOid.get(r.tableOid());
                Optional<QualifiedName> on = Optional.ofNullable(table)
                        .map(t -> new QualifiedName(t.schema(), t.name()));
                boolean tableSelected = table != null && selection.decision(table.oid()) != TableDecision.SKIP;
                Decision d = tableSelected && selection.indexesToBuild().contains(r.oid()) ? Decision.COPY
                        : Decision.SKIP;
                indexes.add(new ListedObject(ListedObject.Kind.INDEX, r.oid(), name, on, d, bytes));
            } else if (r.kind() == Relation.Kind.SEQUENCE) {
                Decision d = selection.sequencesToReset().contains(r.oid()) ? Decision.COPY : Decision.SKIP;
                sequences.add(new ListedObject(ListedObject.Kind.SEQUENCE, r.oid(), name, Optional.empty(), d, 0));
            }
        }
        Comparator<ListedObject> byName = Comparator.comparing(ListedObject::name);
        tables.sort(byName);
        indexes.sort(byName);
        sequences.sort(byName);
        List<String> skippedSchemas = graph.schemas().stream().map(CatalogGraph.Namespace::name)
                .filter(n -> !selection.schemasToCreate().contains(n)).sorted().toList();
        return new SourceListing(tables, indexes, sequences, skippedSchemas,
                selection.errors().stream().map(Problem::message).toList(),
                selection.warnings().stream().map(Problem::message).toList());
    }

    private static ListedObject.Kind kind(Relation r) {
        return switch (r.kind()) {
            case PARTITIONED_TABLE -> ListedObject.Kind.PARTITIONED_TABLE;
            case MATERIALIZED_VIEW -> ListedObject.Kind.MATERIALIZED_VIEW;
            case FOREIGN_TABLE -> ListedObject.Kind.FOREIGN_TABLE;
            default -> ListedObject.Kind.TABLE;
        };
    }
}
