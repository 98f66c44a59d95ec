package io.pgcopydb;

import io.pgcopydb.filter.Filters;
import io.pgcopydb.filter.ListedObject.Decision;
import io.pgcopydb.filter.ListedObject;
import io.pgcopydb.filter.SourceListing;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * "The target equals the source minus exactly what the filter removed", with the removal stated in PostgreSQL's
 * own terms: the filter's {@link SourceListing} becomes {@code DROP … CASCADE}, row deletions and
 * {@code NOT VALID} foreign keys, run on a scratch copy of the source ({@code CREATE DATABASE … TEMPLATE}), which
 * is then compared, unfiltered, with the target. The server's dependency tracking (CASCADE) is then an oracle
 * independent of the engine's own closure and of the comparison's own filtering.
 */
final class FilterExpectations {
    private FilterExpectations() {
    }

    /** Compares the pair's target with its source restricted by {@code filters}. */
    static CompareReport compareRestricted(DatabasePair pair, Filters filters, boolean foreignKeysNotValid) {
        SourceListing listing = DatabaseCopy.from(CopyAssertions.spec(pair.source())).list(filters);
        String scratch = "cmp_" + Long.toHexString(System.nanoTime());
        PostgresServer server = pair.source().server();
        server.execute(server.maintenanceDatabase(), "CREATE DATABASE " + QualifiedName.quoteIdent(scratch)
                + " TEMPLATE " + QualifiedName.quoteIdent(pair.source().name()));
        try {
            TestDatabase restricted = new TestDatabase(server, scratch);
            removal(listing, foreignKeysNotValid).forEach(restricted::execute);
            return CopyAssertions.compare(restricted, pair.target(), Filters.none());
        } finally {
            server.dropDatabase(scratch);
        }
    }

    /** The statements that turn the source into what a copy with the listing's filter creates. */
    static List<String> removal(SourceListing listing, boolean foreignKeysNotValid) {
        List<String> sql = new ArrayList<>();
        for (String schema : listing.skippedSchemas()) {
            sql.add("DROP SCHEMA IF EXISTS " + QualifiedName.quoteIdent(schema) + " CASCADE");
            if (schema.equals("public")) {
                // The target keeps the public schema CREATE DATABASE gave it.
                sql.add("CREATE SCHEMA public AUTHORIZATION pg_database_owner; "
                        + "GRANT USAGE ON SCHEMA public TO PUBLIC; "
                        + "COMMENT ON SCHEMA public IS 'standard public schema'");
            }
        }
        for (ListedObject t : listing.tables()) {
            if (t.decision() == Decision.SKIP) {
                sql.add("DROP " + switch (t.kind()) {
                    case MATERIALIZED_VIEW -> "MATERIALIZED VIEW";
                    case FOREIGN_TABLE -> "FOREIGN TABLE";
                    default -> "TABLE";
                } + " IF EXISTS " + t.name().quoted() + " CASCADE");
            }
        }
        listing.indexes().stream().filter(i -> i.decision() == Decision.SKIP)
                .forEach(i -> sql.add("DROP INDEX IF EXISTS " + i.name().quoted() + " CASCADE"));
        listing.sequences().stream().filter(s -> s.decision() == Decision.SKIP)
                .forEach(s -> sql.add("DROP SEQUENCE IF EXISTS " + s.name().quoted() + " CASCADE"));
        List<ListedObject> schemaOnly = listing.tables().stream().filter(t -> t.decision() == Decision.SCHEMA_ONLY)
                .toList();
        if (foreignKeysNotValid && !schemaOnly.isEmpty()) {
            String oids = schemaOnly.stream().map(t -> "'" + t.name().quoted().replace("'", "''") + "'::regclass")
                    .collect(Collectors.joining(", "));
            // Exactly what NOT VALID means, keeping each key's name, comment and everything else (superuser).
            sql.add("""
                    UPDATE pg_catalog.pg_constraint SET convalidated = false
                    WHERE contype = 'f' AND confrelid IN (%1$s) AND conrelid NOT IN (%1$s)""".formatted(oids));
        }
        for (ListedObject t : schemaOnly) {
            if (t.kind() == ListedObject.Kind.MATERIALIZED_VIEW) {
                sql.add("REFRESH MATERIALIZED VIEW " + t.name().quoted() + " WITH NO DATA");
            } else if (t.kind() == ListedObject.Kind.TABLE) {
                // Replica role: no foreign-key trigger fires, so rows referenced by NOT VALID keys can go too.
                sql.add("SET session_replication_role = replica; DELETE FROM ONLY " + t.name().quoted());
            }
        }
        return sql;
    }
}
