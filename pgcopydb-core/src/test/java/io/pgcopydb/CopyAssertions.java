package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.compare.DatabaseComparison;
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

    /** The target equals the source: schema, rows, sequences, matviews, public schema, large objects. */
    static void assertIdentical(DatabasePair pair) {
        var result = DatabaseComparison.of(pair.source(), pair.target()).compare();
        assertThat(result.isIdentical()).as(result.toString()).isTrue();
    }
}
