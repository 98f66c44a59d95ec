package io.pgcopydb.internal.compare;

import io.pgcopydb.PgCopyException;
import io.pgcopydb.Problem;
import io.pgcopydb.compare.Difference;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.ConnectionFailures;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.Side;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Compares the schemas of two databases from their catalogs, not from {@code pg_dump} text (which changes
 * between versions): each side is read in one read-only REPEATABLE READ transaction
 * ({@link CatalogSnapshotReader}: a query per object class), objects identified by name, and the two
 * {@link SchemaSnapshot}s compared by {@link SchemaDiff}, after what differs only by major version is taken out:
 * the privileges the other side's version does not have ({@link NewPrivileges}), the column qualifiers older
 * servers print in single-relation views ({@link SingleRelationViews}), the {@code IN} newer servers print in
 * procedures' arguments ({@link ProcedureArguments}). Only what {@link CompareScope} includes is read.
 */
public final class SchemaComparer {
    private SchemaComparer() {
    }

    /**
     * What the schema comparison found.
     *
     * @param differences every schema difference, in a stable order
     * @param objectsCompared how many objects were compared (each counted once, whichever side has it)
     */
    public record Result(List<Difference> differences, long objectsCompared) {
        /** Copies the list. */
        public Result {
            differences = List.copyOf(differences);
        }
    }

    /**
     * Compares the schemas the request names, within {@code scope}.
     *
     * @throws PgCopyException when a server cannot be connected to ({@code CONNECTION} codes)
     * @throws SQLException when a catalog query fails
     */
    public static Result compare(CompareRequest request, CompareScope scope) throws Exception {
        SchemaSnapshot source = read(request.source(), Side.SOURCE, request.sourceSnapshot(), scope);
        SchemaSnapshot target = read(request.target(), Side.TARGET, Optional.empty(), scope);
        return SchemaDiff.diff(comparable(source, target.serverVersion()), comparable(target, source.serverVersion()));
    }

    /** What only printing or defaults of another major version make differ, taken out (each class says what). */
    private static SchemaSnapshot comparable(SchemaSnapshot snapshot, int otherVersion) {
        SchemaSnapshot out = NewPrivileges.withoutUnknownTo(snapshot, otherVersion);
        out = SingleRelationViews.comparableWith(out, otherVersion);
        return ProcedureArguments.comparableWith(out, otherVersion);
    }

    private static SchemaSnapshot read(ConnectionSpec spec, Side side, Optional<String> snapshot, CompareScope scope)
            throws SQLException {
        Connection c;
        try {
            c = Sessions.openSource(spec, snapshot);
        } catch (SQLException e) {
            Problem problem = ConnectionFailures.problem(side, spec, e);
            throw PgCopyException.builder(problem.code(), problem.toString()).problem(problem).cause(e).build();
        }
        try (c) {
            try {
                return CatalogSnapshotReader.read(c, scope);
            } finally {
                c.rollback();
            }
        }
    }
}
