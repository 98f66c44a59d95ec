package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;

/** Shared helpers of the copy integration tests. */
final class CopyAssertions {
    private CopyAssertions() {
    }

    /** A connection spec with the test server's credentials for {@code db}. */
    static ConnectionSpec spec(TestDatabase db) {
        PostgresServer server = db.server();
        ConnectionSpec spec = ConnectionSpec.jdbc(db.jdbcUrl(), server.user(), server.password().orElse(null));
        return spec;
    }

    /**
     * Runs a copy of the pair with the given builder tweaks and a recording listener, and checks pairing. The
     * work directory is a temporary one removed afterwards, so copies failing on purpose leave nothing behind.
     */
    static CopyReport copy(DatabasePair pair, RecordingListener listener,
            java.util.function.UnaryOperator<CopyBuilder> tweak) {
        java.nio.file.Path work = io.pgcopydb.testkit.server.TempDirectories.create("pgcopydb-test-work-");
        CopyBuilder builder = DatabaseCopy.from(spec(pair.source())).to(spec(pair.target()))
                .workDirectory(work).listener(listener);
        try {
            return tweak.apply(builder).run();
        } finally {
            io.pgcopydb.testkit.server.TempDirectories.deleteRecursively(work);
            listener.assertPaired();
        }
    }

    /** The library's comparison of the pair: schema, rows, sequences, matviews, large objects, settings. */
    static CompareReport compare(DatabasePair pair) {
        return compare(pair.source(), pair.target(), Filters.none());
    }

    /** The library's comparison of {@code source} and {@code target}, restricted to what {@code filters} copy. */
    static CompareReport compare(TestDatabase source, TestDatabase target, Filters filters) {
        return DatabaseCompare.of(spec(source), spec(target)).filter(filters).all();
    }

    /** The target equals the source: schema, rows, sequences, matviews, public schema, large objects. */
    static void assertIdentical(DatabasePair pair) {
        assertIdentical(compare(pair));
    }

    /** {@code result} found no difference; the failure message lists what it found. */
    static void assertIdentical(CompareReport result) {
        assertThat(result.isIdentical()).as(result.toText()).isTrue();
    }
}
