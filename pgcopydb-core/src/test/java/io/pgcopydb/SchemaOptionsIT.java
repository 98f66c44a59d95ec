package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.model.Side;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each schema option against the same source copied twice: into the pair's target without the option, and
 * into a second fresh target database with it.
 */
@ExtendWith(PostgresPairExtension.class)
class SchemaOptionsIT {
    private static final String ROLE = "alice";
    private static final String TEST_EXTENSION = "pgcopydb_cfg_test";

    private final List<Runnable> cleanups = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        RuntimeException first = null;
        for (int i = cleanups.size() - 1; i >= 0; i--) {
            try {
                cleanups.get(i).run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        cleanups.clear();
        if (first != null) {
            throw first;
        }
    }

    @Test
    void noOwnerLeavesObjectsToTheConnectingUser(DatabasePair pair) {
        TestDatabase with = secondTarget(pair);
        roleEverywhere(pair, with);
        pair.source().execute("""
                CREATE TABLE owned (id int PRIMARY KEY); INSERT INTO owned VALUES (1);
                ALTER TABLE owned OWNER TO alice;
                SELECT lo_from_bytea(4242, 'data'); ALTER LARGE OBJECT 4242 OWNER TO alice;
                """);

        copy(pair.source(), pair.target(), b -> b);
        copy(pair.source(), with, b -> b.noOwner());

        assertThat(tableOwner(pair.target(), "owned")).as("without noOwner").isEqualTo(ROLE);
        assertThat(largeObjectOwner(pair.target(), 4242)).as("without noOwner").isEqualTo(ROLE);
        String self = pair.target().server().user();
        assertThat(tableOwner(with, "owned")).as("with noOwner").isEqualTo(self);
        assertThat(largeObjectOwner(with, 4242)).as("with noOwner").isEqualTo(self);
        assertThat(with.queryForLong("SELECT count(*) FROM owned")).isEqualTo(1);
        assertThat(with.queryForString("SELECT convert_from(lo_get(4242), 'UTF8')")).isEqualTo("data");
    }

    @Test
    void noAclLeavesOutGrants(DatabasePair pair) {
        TestDatabase with = secondTarget(pair);
        roleEverywhere(pair, with);
        pair.source().execute("""
                CREATE TABLE granted (id int); GRANT SELECT ON granted TO alice;
                SELECT lo_from_bytea(4243, 'x'); GRANT SELECT ON LARGE OBJECT 4243 TO alice;
                """);

        copy(pair.source(), pair.target(), b -> b);
        copy(pair.source(), with, b -> b.noAcl());

        assertThat(canRead(pair.target(), "granted")).as("table grant without noAcl").isTrue();
        assertThat(largeObjectAcl(pair.target(), 4243)).as("large object ACL without noAcl").contains("alice=r");
        assertThat(canRead(with, "granted")).as("table grant with noAcl").isFalse();
        assertThat(largeObjectAcl(with, 4243)).as("large object ACL with noAcl").isNull();
    }

    @Test
    void noCommentsLeavesOutComments(DatabasePair pair) {
        TestDatabase with = secondTarget(pair);
        pair.source().execute("""
                CREATE TABLE described (id int); COMMENT ON TABLE described IS 'a table';
                COMMENT ON COLUMN described.id IS 'a column';
                SELECT lo_from_bytea(4244, 'x'); COMMENT ON LARGE OBJECT 4244 IS 'a large object';
                """);

        copy(pair.source(), pair.target(), b -> b);
        copy(pair.source(), with, b -> b.noComments());

        assertThat(tableComment(pair.target())).isEqualTo("a table");
        assertThat(pair.target().queryForString("SELECT col_description('described'::regclass, 1)"))
                .isEqualTo("a column");
        assertThat(largeObjectComment(pair.target())).isEqualTo("a large object");
        assertThat(tableComment(with)).as("with noComments").isNull();
        assertThat(with.queryForString("SELECT col_description('described'::regclass, 1)")).isNull();
        assertThat(largeObjectComment(with)).as("with noComments").isNull();
    }

    @Test
    void skipCollationsNeedsThemOnTheTargetAndDoesNotCreateThem(DatabasePair pair) {
        TestDatabase with = secondTarget(pair);
        pair.source().execute("""
                CREATE COLLATION test_icu (provider = icu, locale = 'de-u-co-phonebk');
                COMMENT ON COLLATION test_icu IS 'phone book order';
                CREATE TABLE names (n text COLLATE test_icu); INSERT INTO names VALUES ('Müller'), ('Mueller');
                """);

        copy(pair.source(), pair.target(), b -> b);
        PgCopyException missing = catchThrowableOfType(PgCopyException.class,
                () -> copy(pair.source(), with, b -> b.skipCollations()));

        assertThat(collationComment(pair.target())).as("created without skipCollations")
                .isEqualTo("phone book order");
        assertThat(missing.code()).isEqualTo(ErrorCode.TARGET_PREREQUISITE_MISSING);
        ProblemAssertions.codes(missing, ErrorCode.TARGET_PREREQUISITE_MISSING);
        assertThat(ProblemAssertions.problem(missing, ErrorCode.TARGET_PREREQUISITE_MISSING, Side.TARGET,
                "public.test_icu").toString()).isEqualTo("skipCollations(): the target lacks collation "
                        + "public.test_icu: create it on the target first, or drop skipCollations()");
        assertThat(missing.getMessage()).contains("public.test_icu")
                .contains("create it on the target first, or drop skipCollations").doesNotContain("\n");
        assertThat(with.queryForString("SELECT to_regclass('public.names')")).as("nothing written").isNull();

        with.execute("CREATE COLLATION test_icu (provider = icu, locale = 'de-u-co-phonebk')");
        String oid = with.queryForString("SELECT oid FROM pg_collation WHERE collname = 'test_icu'");
        copy(pair.source(), with, b -> b.skipCollations());

        assertThat(with.queryForString("SELECT oid FROM pg_collation WHERE collname = 'test_icu'"))
                .as("the target's own collation is kept").isEqualTo(oid);
        assertThat(collationComment(with)).as("its comment is not restored either").isNull();
        assertThat(with.queryForString("SELECT collname FROM pg_attribute a JOIN pg_collation c ON c.oid = "
                + "a.attcollation WHERE attrelid = 'names'::regclass AND attname = 'n'")).isEqualTo("test_icu");
        assertThat(with.queryForLong("SELECT count(*) FROM names")).isEqualTo(2);
    }

    @Test
    void skipExtensionsNeedsThemOnTheTargetAndDoesNotCreateThem(DatabasePair pair) {
        TestDatabase with = secondTarget(pair);
        pair.source().execute("""
                CREATE SCHEMA kv; CREATE EXTENSION hstore WITH SCHEMA kv;
                COMMENT ON EXTENSION hstore IS 'kv store';
                CREATE TABLE pairs (id int, attrs kv.hstore); INSERT INTO pairs VALUES (1, 'a=>1');
                """);
        String sourceVersion = pair.source().queryForString("SELECT extversion FROM pg_extension WHERE extname = 'hstore'");

        copy(pair.source(), pair.target(), b -> b);
        PgCopyException missing = catchThrowableOfType(PgCopyException.class,
                () -> copy(pair.source(), with, b -> b.skipExtensions()));

        assertThat(extension(pair.target())).as("created without skipExtensions")
                .isEqualTo("kv " + sourceVersion + " kv store");
        assertThat(missing.code()).isEqualTo(ErrorCode.TARGET_PREREQUISITE_MISSING);
        ProblemAssertions.problem(missing, ErrorCode.TARGET_PREREQUISITE_MISSING, Side.TARGET, "hstore");
        // The privilege preflight or, failing that, the pre-data check before the first write: both name it.
        assertThat(missing.getMessage()).contains("hstore").contains("on the target first").contains("skipExtensions")
                .doesNotContain("\n");
        assertThat(with.queryForString("SELECT to_regclass('public.pairs')")).as("nothing written").isNull();

        with.execute("CREATE SCHEMA kv; CREATE EXTENSION hstore WITH SCHEMA kv VERSION '1.7'");
        copy(pair.source(), with, b -> b.skipExtensions());

        assertThat(extension(with)).as("the target's own extension is kept, its comment too")
                .isEqualTo("kv 1.7 data type for storing sets of (key, value) pairs");
        assertThat(with.queryForString("SELECT attrs OPERATOR(kv.->) 'a' FROM pairs")).isEqualTo("1");
    }

    @Test
    void skipExtensionCommentsCreatesExtensionsWithoutTheirComment(DatabasePair pair) {
        TestDatabase with = secondTarget(pair);
        pair.source().execute("""
                CREATE SCHEMA kv; CREATE EXTENSION hstore WITH SCHEMA kv;
                COMMENT ON EXTENSION hstore IS 'kv store';
                CREATE TABLE pairs (id int, attrs kv.hstore); COMMENT ON TABLE pairs IS 'kept';
                """);
        String version = pair.source().queryForString("SELECT extversion FROM pg_extension WHERE extname = 'hstore'");

        copy(pair.source(), pair.target(), b -> b);
        copy(pair.source(), with, b -> b.skipExtensionComments());

        assertThat(extension(pair.target())).isEqualTo("kv " + version + " kv store");
        assertThat(extension(with)).as("with skipExtensionComments: the control file's comment")
                .isEqualTo("kv " + version + " data type for storing sets of (key, value) pairs");
        assertThat(with.queryForString("SELECT obj_description('pairs'::regclass, 'pg_class')"))
                .as("other comments stay").isEqualTo("kept");
    }

    @Test
    void extensionConfigurationTablesAreCopiedUnlessExtensionsAreSkipped(DatabasePair pair) throws IOException {
        installTestExtension(pair);
        TestDatabase with = secondTarget(pair);
        pair.source().execute("""
                CREATE SCHEMA cfg; CREATE EXTENSION pgcopydb_cfg_test WITH SCHEMA cfg;
                INSERT INTO cfg.cfg_parent VALUES (2, 'user one', false), (3, 'user two', false);
                INSERT INTO cfg.cfg_child VALUES (10, 2, 'a'), (11, 3, 'b'), (12, 1, 'on the built-in row');
                SELECT setval('cfg.cfg_seq', 42);
                """);

        copy(pair.source(), pair.target(), b -> b);
        with.execute("CREATE SCHEMA cfg; CREATE EXTENSION pgcopydb_cfg_test WITH SCHEMA cfg");
        copy(pair.source(), with, b -> b.skipExtensions());

        assertThat(rows(pair.target(), "SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM cfg.cfg_parent"))
                .as("the built-in row once, the user's rows copied").isEqualTo("1:built in,2:user one,3:user two");
        assertThat(rows(pair.target(), "SELECT string_agg(id || ':' || parent_id, ',' ORDER BY id) FROM cfg.cfg_child"))
                .isEqualTo("10:2,11:3,12:1");
        assertThat(rows(pair.target(), "SELECT last_value || ' ' || is_called FROM cfg.cfg_seq")).isEqualTo("42 true");
        assertThat(rows(with, "SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM cfg.cfg_parent"))
                .as("with skipExtensions").isEqualTo("1:built in");
        assertThat(with.queryForLong("SELECT count(*) FROM cfg.cfg_child")).isZero();
    }

    @Test
    void anExistingSchemaWhoseNameHasSpacesIsReused(DatabasePair pair) {
        pair.source().execute("""
                CREATE SCHEMA "With a space"; COMMENT ON SCHEMA "With a space" IS 'spaced';
                CREATE TABLE "With a space"."a table" (id int); INSERT INTO "With a space"."a table" VALUES (7);
                """);
        pair.target().execute("CREATE SCHEMA \"With a space\"");

        copy(pair.source(), pair.target(), b -> b);

        assertThat(pair.target().queryForLong("SELECT id FROM \"With a space\".\"a table\"")).isEqualTo(7);
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private static CopyReport copy(TestDatabase source, TestDatabase target, UnaryOperator<CopyBuilder> tweak) {
        return CopyAssertions.copy(new DatabasePair(source, target), new RecordingListener(), tweak);
    }

    /** A second empty database on the target server, dropped after the test. */
    private TestDatabase secondTarget(DatabasePair pair) {
        PostgresServer server = pair.target().server();
        String name = pair.target().name() + "_2";
        server.createDatabase(name);
        cleanups.add(() -> server.dropDatabase(name));
        return new TestDatabase(server, name);
    }

    /** Creates the role on both servers (roles are cluster-wide); dropped, with what it owns, after the test. */
    private void roleEverywhere(DatabasePair pair, TestDatabase... moreTargets) {
        List<TestDatabase> databases = new ArrayList<>(List.of(pair.source(), pair.target()));
        databases.addAll(List.of(moreTargets));
        for (PostgresServer server : List.of(pair.source().server(), pair.target().server())) {
            server.execute(server.maintenanceDatabase(), "DO $$ BEGIN CREATE ROLE " + ROLE
                    + "; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        }
        cleanups.add(() -> {
            for (PostgresServer server : List.of(pair.source().server(), pair.target().server())) {
                server.execute(server.maintenanceDatabase(), "DROP ROLE IF EXISTS " + ROLE);
            }
        });
        for (TestDatabase db : databases) {
            cleanups.add(() -> db.execute("DROP OWNED BY " + ROLE));
        }
    }

    /**
     * Installs a tiny extension with two configuration tables (one referencing the other) and a configuration
     * sequence into the servers' extension directory, removed after the test. Skips the test when the
     * servers do not see it (servers in containers, or a directory this process may not write).
     */
    private void installTestExtension(DatabasePair pair) throws IOException {
        Path dir = Path.of(pair.source().queryForString("SELECT setting FROM pg_config WHERE name = 'SHAREDIR'"),
                "extension");
        Assumptions.assumeTrue(Files.isDirectory(dir) && Files.isWritable(dir),
                () -> "the servers' extension directory " + dir + " is not writable here: cannot install a test "
                        + "extension with configuration tables");
        Path control = dir.resolve(TEST_EXTENSION + ".control");
        Path script = dir.resolve(TEST_EXTENSION + "--1.0.sql");
        cleanups.add(() -> {
            try {
                Files.deleteIfExists(control);
                Files.deleteIfExists(script);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Files.writeString(control, """
                comment = 'pgcopydb test: configuration tables'
                default_version = '1.0'
                relocatable = false
                """);
        Files.writeString(script, """
                CREATE TABLE cfg_parent (id int PRIMARY KEY, name text NOT NULL, builtin boolean NOT NULL DEFAULT false);
                CREATE TABLE cfg_child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES cfg_parent (id), note text);
                CREATE SEQUENCE cfg_seq;
                INSERT INTO cfg_parent VALUES (1, 'built in', true);
                -- the referencing table first, so only a dependency-aware copy loads them in a valid order
                SELECT pg_catalog.pg_extension_config_dump('cfg_child', '');
                SELECT pg_catalog.pg_extension_config_dump('cfg_parent', 'WHERE NOT builtin');
                SELECT pg_catalog.pg_extension_config_dump('cfg_seq', '');
                """);
        for (TestDatabase db : List.of(pair.source(), pair.target())) {
            Assumptions.assumeTrue(db.queryForLong("SELECT count(*) FROM pg_available_extensions WHERE name = '"
                    + TEST_EXTENSION + "'") == 1, () -> "the server of " + db + " does not see " + dir);
        }
    }

    private static String tableOwner(TestDatabase db, String table) {
        return db.queryForString("SELECT relowner::regrole::text FROM pg_class WHERE oid = '" + table + "'::regclass");
    }

    private static String largeObjectOwner(TestDatabase db, long oid) {
        return db.queryForString("SELECT lomowner::regrole::text FROM pg_largeobject_metadata WHERE oid = " + oid);
    }

    private static String largeObjectAcl(TestDatabase db, long oid) {
        return db.queryForString("SELECT lomacl::text FROM pg_largeobject_metadata WHERE oid = " + oid);
    }

    private static boolean canRead(TestDatabase db, String table) {
        return Boolean.parseBoolean(db.queryForString("SELECT has_table_privilege('" + ROLE + "', '" + table
                + "', 'SELECT')::text"));
    }

    private static String tableComment(TestDatabase db) {
        return db.queryForString("SELECT obj_description('described'::regclass, 'pg_class')");
    }

    private static String largeObjectComment(TestDatabase db) {
        return db.queryForString("SELECT obj_description(4244, 'pg_largeobject')");
    }

    private static String collationComment(TestDatabase db) {
        return db.queryForString("SELECT obj_description(oid, 'pg_collation') FROM pg_collation "
                + "WHERE collname = 'test_icu'");
    }

    /** Schema, version and comment of hstore on {@code db}. */
    private static String extension(TestDatabase db) {
        return db.queryForString("SELECT n.nspname || ' ' || e.extversion || ' ' || "
                + "coalesce(obj_description(e.oid, 'pg_extension'), '<none>') FROM pg_extension e "
                + "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'hstore'");
    }

    private static String rows(TestDatabase db, String query) {
        return db.queryForString(query);
    }
}
