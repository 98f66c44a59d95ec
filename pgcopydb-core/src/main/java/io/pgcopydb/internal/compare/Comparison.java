package io.pgcopydb.internal.compare;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Problem;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.Ignore;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.ConnectionFailures;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.Side;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Runs a comparison: the scope from the source, then the schema and the data as asked. */
public final class Comparison {
    private Comparison() {
    }

    /**
     * Compares as {@code request} asks.
     *
     * @throws PgCopyException when a server cannot be read ({@code CONNECTION} codes), the filter cannot be
     *     applied ({@code FILTER_REFUSED}), or a query fails
     */
    public static CompareReport run(CompareRequest request) {
        long start = System.nanoTime();
        CompareScope scope = scope(request);
        try {
            SchemaComparer.Result schema = request.schema() ? SchemaComparer.compare(request, scope)
                    : new SchemaComparer.Result(List.of(), 0);
            DataComparer.Result data = request.data() ? DataComparer.compare(request, scope)
                    : new DataComparer.Result(List.of(), List.of(), 0);
            List<Difference> differences = new ArrayList<>(
                    IgnoredDifferences.without(ignored(request), schema.differences()));
            if (request.schema() && differences.isEmpty()) {
                // The safety net: an object kind the catalogs were not read for still shows in pg_dump's text.
                differences.addAll(DumpComparison.differences(request, major(request.source(), Side.SOURCE),
                        major(request.target(), Side.TARGET)));
            }
            differences.addAll(IgnoredDifferences.without(ignored(request), data.differences()));
            return new CompareReport(differences, data.tables(), schema.objectsCompared(), data.rowsCompared(),
                    request.schema(), request.data(), Duration.ofNanos(System.nanoTime() - start));
        } catch (PgCopyException e) {
            throw e;
        } catch (Exception e) {
            throw PgCopyException.builder(ErrorCode.INTERNAL, "the comparison failed: " + Errors.message(e))
                    .sqlState(Errors.sqlState(e).orElse(null)).cause(e).build();
        }
    }

    /**
     * What the request leaves out, and large objects too when its filter leaves them out (it names the only
     * schemas or tables): a copy with that filter does not copy them.
     */
    private static Set<Ignore> ignored(CompareRequest request) {
        if (!request.filters().leavesOutLargeObjects()) {
            return request.ignored();
        }
        Set<Ignore> ignored = EnumSet.of(Ignore.LARGE_OBJECTS);
        ignored.addAll(request.ignored());
        return ignored;
    }

    private static int major(ConnectionSpec spec, Side side) {
        try (Connection c = Sessions.connect(spec, "compare")) {
            return c.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            Problem problem = ConnectionFailures.problem(side, spec, e);
            throw PgCopyException.builder(problem.code(), problem.toString()).problem(problem).cause(e).build();
        }
    }

    private static CompareScope scope(CompareRequest request) {
        try (Connection c = Sessions.openSource(request.source(), request.sourceSnapshot())) {
            try {
                return CompareScope.of(c, request.filters());
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            Problem problem = ConnectionFailures.problem(Side.SOURCE, request.source(), e);
            throw PgCopyException.builder(problem.code(), problem.toString()).problem(problem).cause(e).build();
        }
    }
}
