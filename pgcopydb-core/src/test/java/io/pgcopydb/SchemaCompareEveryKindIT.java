package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The schema comparison after a copy of every object kind ({@code fixtures/every-kind.sql}, as
 * {@link EveryKindIT} copies it): nothing that legitimately differs after a copy may be reported, and a change
 * on the target still is.
 */
@ExtendWith(PostgresPairExtension.class)
class SchemaCompareEveryKindIT {
    private static final List<String> ROLES = List.of("fixture_owner", "fixture_reader");
    private static final String WRITABLE = "SET default_transaction_read_only = off";

    @BeforeEach
    void createRoles(DatabasePair pair) {
        for (PostgresServer server : servers(pair)) {
            for (String role : ROLES) {
                server.execute(server.maintenanceDatabase(), "DO $$ BEGIN CREATE ROLE " + role
                        + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            }
        }
    }

    @AfterEach
    void dropRoles(DatabasePair pair) throws SQLException {
        for (TestDatabase db : List.of(pair.source(), pair.target())) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute(WRITABLE);
                for (String role : ROLES) {
                    s.execute("DROP OWNED BY " + role + " CASCADE");
                }
            }
        }
        for (PostgresServer server : servers(pair)) {
            server.execute(server.maintenanceDatabase(), "DROP ROLE IF EXISTS " + String.join(", ", ROLES));
        }
    }

    @Test
    void everyObjectKindCopiedByTheLibraryIsIdentical(DatabasePair pair) throws SQLException {
        pair.source().loadSqlFile(fixture(), Map.of("DBNAME", pair.source().name()));
        CopyAssertions.copy(pair, new RecordingListener(), b -> b.jobs(4).indexJobs(4));

        CompareReport report = compare(pair);

        assertThat(report.differences()).as(report.toText()).isEmpty();
        assertThat(report.objectsCompared()).isGreaterThan(200);
        try (Connection c = pair.target().connect(); Statement s = c.createStatement()) {
            s.execute(WRITABLE);
            s.execute("COMMENT ON CONSTRAINT orders_amount_positive ON public.orders IS 'changed'");
        }
        assertThat(compare(pair).differences()).extracting(d -> d.object() + " | " + d.aspect())
                .containsExactly("constraint orders_amount_positive on public.orders | comment");
    }

    private static CompareReport compare(DatabasePair pair) {
        return DatabaseCompare.of(CopyAssertions.spec(pair.source()), CopyAssertions.spec(pair.target())).schema();
    }

    private static List<PostgresServer> servers(DatabasePair pair) {
        PostgresServer source = pair.source().server();
        PostgresServer target = pair.target().server();
        return source == target ? List.of(source) : List.of(source, target);
    }

    private static Path fixture() {
        try {
            return Path.of(Objects.requireNonNull(SchemaCompareEveryKindIT.class.getResource(
                    "/fixtures/every-kind.sql"), "fixtures/every-kind.sql on the test class path").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
