package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.fixture.FixtureDatabase;
import io.pgcopydb.fixture.FixturePool;
import io.pgcopydb.fixture.Fixtures;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.PostgresServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test JVM killed (SIGKILL) mid-suite leaves pool databases; the next pool on the server reclaims them. */
@ExtendWith(PostgresPairExtension.class)
class FixturePoolKillIT {

    /** The child: a pool of two, one database handed out, then killed while it blocks. */
    public static void main(String[] args) {
        FixturePool pool = Fixtures.of(ConnectionSpec.parse(args[0])).poolSize(2).start();
        FixtureDatabase db = pool.take();
        System.out.println("TAKEN " + db.name());
        KilledChild.blockUntilKilled();
    }

    private static List<String> poolDatabases(PostgresServer server) {
        String names = server.queryForString("postgres", "SELECT string_agg(datname, ',' ORDER BY datname)"
                + " FROM pg_database WHERE datname ~ '^pgfx_[0-9a-f]{8}_'");
        return names == null ? List.of() : List.of(names.split(","));
    }

    @Test
    void theNextPoolReclaimsWhatAKilledJvmLeft(DatabasePair pair) throws Exception {
        PostgresServer server = pair.source().server();
        pair.source().execute("CREATE TABLE item (id int); INSERT INTO item VALUES (1)");
        String uri = server.uri(pair.source().name());
        String withPassword = server.password().map(p -> uri.replace("@", ":" + p + "@")).orElse(uri);

        KilledChild.runUntil(FixturePoolKillIT.class, List.of(withPassword), Map.of(),
                lines -> lines.stream().anyMatch(l -> l.startsWith("TAKEN")) && poolDatabases(server).size() >= 3);
        List<String> left = poolDatabases(server);
        assertThat(left).as("what the killed JVM left: its handed-out database and its ready ones").hasSize(3);

        try (FixturePool next = Fixtures.of(CopyAssertions.spec(pair.source())).poolSize(1).start();
             FixtureDatabase db = next.take()) {
            assertThat(poolDatabases(server)).as("after the next pool started").doesNotContainAnyElementsOf(left);
            assertThat(next.stats().templateBuilt()).as("the finished template was kept").isFalse();
        }
        assertThat(poolDatabases(server)).isEmpty();
        String template = server.queryForString("postgres", "SELECT datname FROM pg_database WHERE datname ~ '^pgfx_t_'");
        server.execute("postgres", "ALTER DATABASE " + template + " WITH IS_TEMPLATE false");
        server.execute("postgres", "DROP DATABASE " + template);
    }
}
