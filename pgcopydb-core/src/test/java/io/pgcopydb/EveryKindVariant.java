package io.pgcopydb;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.server.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The every-kind fixture ({@code fixtures/every-kind.sql}, written for PostgreSQL 15) as a pair of servers can hold
 * it: each feature an older source lacks (or a build option one side lacks) is rewritten to its nearest older
 * form, by an exact
 * replacement that must match once (a fixture that changes under it fails the test rather than silently
 * testing less). What each version leaves out is listed in {@link #EDITS}.
 */
final class EveryKindVariant {
    /**
     * What the pair's servers can hold.
     *
     * @param sourceMajor the source server's major version
     * @param lz4 whether both servers were built with lz4 (zonky's bundles are not)
     */
    record Servers(int sourceMajor, boolean lz4) {
    }

    /** One rewrite: when {@code applies}, {@code from} (present exactly once) becomes {@code to}. */
    private record Edit(String why, Predicate<Servers> applies, String from, String to) {
        Edit(int sinceMajor, String why, String from, String to) {
            this(why, s -> s.sourceMajor() < sinceMajor, from, to);
        }
    }

    private static final List<Edit> EDITS = List.of(
            new Edit(15, "UNIQUE NULLS NOT DISTINCT is 15", "UNIQUE NULLS NOT DISTINCT (tag)", "UNIQUE (tag)"),
            new Edit(15, "publication column lists and row filters are 15",
                    "FOR TABLE public.identity_always (id, label) WHERE (id > 100)", "FOR TABLE public.identity_always"),
            new Edit(15, "publications FOR TABLES IN SCHEMA are 15",
                    "FOR TABLES IN SCHEMA \"données\";", "FOR TABLE \"données\".\"tâche à faire\";"),
            new Edit(15, "unlogged sequences are 15",
                    "CREATE UNLOGGED SEQUENCE public.unlogged_seq", "CREATE SEQUENCE public.unlogged_seq"),
            new Edit(14, "multiranges are 14", "    mr int4multirange,", "    mr text,"),
            new Edit(13, "partitioned tables in publications (publish_via_partition_root) are 13",
                    "FOR TABLE public.measurements WITH (publish_via_partition_root = true);",
                    "FOR TABLE public.measurements_default;"),
            new Edit(13, "BEFORE row triggers on partitioned tables are 13: one partition's instead",
                    "CREATE TRIGGER events_guard BEFORE INSERT ON public.events FOR EACH ROW",
                    "CREATE TRIGGER events_guard BEFORE INSERT ON public.events_2024 FOR EACH ROW"),
            new Edit(14, "column compression is 14", "\"c d\" text COMPRESSION lz4,", "\"c d\" text,"),
            new Edit("lz4 is a build option, and zonky's bundles lack it", s -> s.sourceMajor() >= 14 && !s.lz4(),
                    "\"c d\" text COMPRESSION lz4,", "\"c d\" text COMPRESSION pglz,"),
            new Edit(14, "numeric infinity is 14",
                    "WHEN 1 THEN 'Infinity'::numeric WHEN 2 THEN '-Infinity'::numeric",
                    "WHEN 1 THEN 'NaN'::numeric WHEN 2 THEN 'NaN'::numeric"),
            new Edit(14, "numeric infinity is 14", "amount <> 'Infinity'::numeric", "amount <> 'NaN'::numeric"));

    private EveryKindVariant() {
    }

    /** Whether {@code server} was built with lz4 (a {@code COMPRESSION lz4} column needs it). */
    static boolean hasLz4(PostgresServer server) {
        return server.serverVersionNum() >= 140000 && "yes".equals(server.queryForString(server.maintenanceDatabase(),
                "SELECT CASE WHEN 'lz4' = ANY (enumvals) THEN 'yes' ELSE 'no' END FROM pg_settings"
                        + " WHERE name = 'default_toast_compression'"));
    }

    /**
     * Loads into the pair's source the fixture for its two servers (written into {@code directory} when edited),
     * after creating its roles on both servers; the roles stay there: the servers are the test run's own.
     */
    static void loadInto(DatabasePair pair, Path directory) {
        for (PostgresServer server : List.of(pair.source().server(), pair.target().server())) {
            for (String role : List.of("fixture_owner", "fixture_reader")) {
                server.execute(server.maintenanceDatabase(), "DO $$ BEGIN CREATE ROLE " + role
                        + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            }
        }
        int sourceMajor = pair.source().server().serverVersionNum() / 10000;
        boolean lz4 = hasLz4(pair.source().server()) && hasLz4(pair.target().server());
        pair.source().loadSqlFile(forServers(new Servers(sourceMajor, lz4), directory),
                Map.of("DBNAME", pair.source().name()));
    }

    /** The fixture for {@code servers}, written into {@code directory}; the fixture itself when nothing applies. */
    static Path forServers(Servers servers, Path directory) {
        Path original = original();
        List<Edit> edits = EDITS.stream().filter(e -> e.applies().test(servers)).toList();
        if (edits.isEmpty()) {
            return original;
        }
        try {
            String sql = Files.readString(original, StandardCharsets.UTF_8);
            for (Edit edit : edits) {
                int at = sql.indexOf(edit.from());
                if (at < 0 || sql.indexOf(edit.from(), at + 1) >= 0) {
                    throw new IllegalStateException("every-kind.sql no longer holds exactly one '" + edit.from()
                            + "' (" + edit.why() + "): update EveryKindVariant");
                }
                sql = sql.replace(edit.from(), edit.to());
            }
            Path variant = directory.resolve("every-kind-" + servers.sourceMajor() + ".sql");
            Files.writeString(variant, sql, StandardCharsets.UTF_8);
            return variant;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path original() {
        try {
            return Path.of(Objects.requireNonNull(EveryKindVariant.class.getResource("/fixtures/every-kind.sql"),
                    "fixtures/every-kind.sql on the test class path").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
