package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.Side;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.Sql;
import io.pgcopydb.testkit.server.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The privilege preflight: each missing privilege is named with the option that avoids it, all of them in one
 * exception, before anything is written. The servers trust any role over 127.0.0.1, so a test connects as the
 * non-superuser roles it creates; roles are cluster-wide, so their names are unique and they are dropped after.
 */
@ExtendWith(PostgresPairExtension.class)
class PrivilegePreflightIT {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RELATIONS = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
            + "c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'";

    private final String suffix = "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    private final List<String[]> roles = new ArrayList<>();
    private DatabasePair pair;
    private String app;

    @BeforeEach
    void createTheTargetRole(DatabasePair pair) {
        this.pair = pair;
        this.app = role(pair.target(), "app", "");
    }

    @AfterEach
    void dropTheRoles() {
        // Owned objects and privileges first, all of them: a grant made by one test role to another goes only
        // when its grantor's privileges go.
        for (String[] r : roles) {
            TestDatabase db = database(r[0]);
            db.execute("REASSIGN OWNED BY " + r[1] + " TO " + db.server().user() + "; DROP OWNED BY " + r[1]);
        }
        for (String[] r : roles) {
            database(r[0]).execute("DROP ROLE " + r[1]);
        }
    }

    private TestDatabase database(String side) {
        return side.equals("source") ? pair.source() : pair.target();
    }

    @Test
    void everyUnreadableSourceObjectIsNamedWithItsRemedy() {
        String reader = role(pair.source(), "reader", "");
        pair.source().execute("CREATE TABLE t (id int); CREATE TABLE ok (id int); CREATE SEQUENCE s;"
                + "CREATE TABLE secret (id int, who name); INSERT INTO secret VALUES (1, 'x'), (2, 'y');"
                + "ALTER TABLE secret ENABLE ROW LEVEL SECURITY;"
                + "CREATE POLICY mine ON secret USING (who = current_user);"
                + "GRANT SELECT ON ok, secret TO " + reader + "; GRANT USAGE ON SEQUENCE s TO " + reader + ";"
                + "SELECT lo_from_bytea(0, 'blob');");

        PgCopyException e = refused(spec(pair.source(), reader), CopyAssertions.spec(pair.target()), b -> b);

        String lo = pair.source().queryForString("SELECT min(oid)::text FROM pg_largeobject_metadata");
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.SOURCE, "public.t").toString())
                .isEqualTo("source role " + reader + " lacks SELECT on 1 table (public.t): grant it (GRANT SELECT "
                        + "ON public.t TO " + reader + "), or copy as their owner");
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.SOURCE, "public.s").message())
                .contains("lacks SELECT on 1 sequence (public.s), needed to read their values");
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.SOURCE, "public.secret").message())
                .isEqualTo("row-level security applies to source role " + reader + " on 1 table (public.secret), "
                        + "so it would read only some rows");
        Problem largeObjects = ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.SOURCE,
                "large object " + lo);
        assertThat(largeObjects.message()).contains("cannot read 1 of 1 large objects");
        assertThat(largeObjects.remedy()).endsWith("or use skipLargeObjects()");
        assertThat(e.getMessage()).doesNotContain("public.ok");
    }

    @Test
    void largeObjectsAndRolePasswordsAreAvoidedByTheirOptions() {
        String reader = role(pair.source(), "reader", "");
        pair.source().execute("CREATE TABLE t (id int); GRANT SELECT ON t TO " + reader + ";"
                + "SELECT lo_from_bytea(0, 'blob')");
        PgCopyException e = refused(spec(pair.source(), reader), CopyAssertions.spec(pair.target()), b -> b.roles());
        assertThat(e.getMessage()).contains("skipLargeObjects()");
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.SOURCE, reader).toString())
                .isEqualTo("copying roles with their passwords reads pg_authid, which needs a superuser on the "
                        + "source, and " + reader + " is not one: use noRolePasswords()");

        passesPreflight(spec(pair.source(), reader), CopyAssertions.spec(pair.target()),
                b -> b.skipLargeObjects().roles().noRolePasswords().noAcl());
    }

    @Test
    void theTargetRoleNeedsCreateOnTheDatabaseAndOnSchemasItFills() {
        pair.source().execute("CREATE SCHEMA sales; CREATE TABLE sales.orders (id int); CREATE TABLE t (id int)");

        PgCopyException e = refused(CopyAssertions.spec(pair.source()), spec(pair.target(), app),
                b -> b.noOwner().noAcl());

        String db = pair.target().name();
        ProblemAssertions.codes(e, ErrorCode.PRIVILEGE_MISSING, ErrorCode.PRIVILEGE_MISSING);
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, db).toString())
                .isEqualTo("target role " + app + " lacks CREATE on database " + db + ", needed to create schema "
                        + "sales: grant it (GRANT CREATE ON DATABASE " + Sql.quoteIdent(db) + " TO " + app + ")");
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, "public").toString())
                .isEqualTo("target role " + app + " lacks CREATE on schema public of the target, where the source "
                        + "has objects (e.g. table public.t): grant it (GRANT CREATE ON SCHEMA public TO " + app + ")");

        grantCreate();
        passesPreflight(CopyAssertions.spec(pair.source()), spec(pair.target(), app), b -> b.noOwner().noAcl());
    }

    @Test
    void objectsOnlyASuperuserCanCreateAreNamedBeforeAnythingIsWritten() {
        grantCreate();
        pair.source().execute("CREATE TABLE t (id int); CREATE FUNCTION note_ddl() RETURNS event_trigger "
                + "LANGUAGE plpgsql AS 'BEGIN END'; CREATE EVENT TRIGGER note_ddl ON ddl_command_end "
                + "EXECUTE FUNCTION note_ddl(); CREATE PUBLICATION everything FOR ALL TABLES;"
                + "CREATE PUBLICATION by_schema FOR TABLES IN SCHEMA public; CREATE FOREIGN DATA WRAPPER dummy");

        PgCopyException e = refused(CopyAssertions.spec(pair.source()), spec(pair.target(), app),
                b -> b.noOwner().noAcl());

        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, "event trigger note_ddl")
                .toString()).isEqualTo("the source has 4 objects only a superuser can create (event trigger "
                        + "note_ddl, foreign-data wrapper dummy, publication by_schema (tables in schema), publication "
                        + "everything (all tables)), and target role " + app + " is not one: copy as a superuser of "
                        + "the target, or drop them on the source first");
    }

    @Test
    void ownersMustExistOnTheTargetAndBeRolesTheTargetRoleCanActAs() {
        String alice = role(pair.source(), "alice", "");
        String bob = role(pair.source(), "bob", "");
        role(pair.target(), "bob", "");
        pair.source().execute("CREATE TABLE a (id int); ALTER TABLE a OWNER TO " + alice + ";"
                + "CREATE TABLE b (id int); ALTER TABLE b OWNER TO " + bob);
        grantCreate();

        PgCopyException e = refused(CopyAssertions.spec(pair.source()), spec(pair.target(), app), b -> b.noAcl());

        assertThat(ProblemAssertions.problem(e, ErrorCode.ROLE_MISSING, Side.TARGET, alice).toString())
                .isEqualTo("source objects are owned by " + alice + ", which does not exist on the target: create "
                        + "the role on the target, or use noOwner()");
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, bob).toString())
                .isEqualTo("target role " + app + " is not a member of " + bob + " (owner of table public.b), so it "
                        + "cannot give objects to it: grant it (GRANT " + bob + " TO " + app + "), or use noOwner()");
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, "public").message())
                .startsWith("role " + bob + " lacks CREATE on schema public of the target");

        passesPreflight(CopyAssertions.spec(pair.source()), spec(pair.target(), app), b -> b.noAcl().noOwner());
    }

    @Test
    void objectsWhoseOwnerIsNotTheirSchemasOwnerCannotBeGivenToItByANonSuperuser() {
        String alice = role(pair.source(), "alice", "");
        String bob = role(pair.source(), "bob", "");
        role(pair.target(), "alice", "");
        role(pair.target(), "bob", "");
        pair.source().execute("CREATE SCHEMA s AUTHORIZATION " + alice + "; GRANT CREATE, USAGE ON SCHEMA s TO " + bob
                + "; CREATE TABLE s.t (id int); ALTER TABLE s.t OWNER TO " + bob);
        pair.target().execute("GRANT " + alice + ", " + bob + " TO " + app);
        grantCreate();

        PgCopyException e = refused(CopyAssertions.spec(pair.source()), spec(pair.target(), app), b -> b.noAcl());

        Problem p = ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, "s");
        assertThat(p.message()).contains("objects in schema s belong to " + bob + ", not to the schema's owner "
                + alice).contains("schema privileges are restored last");
        assertThat(p.remedy()).endsWith("or use noOwner()");
    }

    @Test
    void rolesNamedByPrivilegesMustExistAndGrantsByNonOwnersNeedASuperuser() {
        String bob = role(pair.source(), "bob", "");
        String carol = role(pair.source(), "carol", "");
        role(pair.target(), "bob", "");
        pair.source().execute("CREATE TABLE t (id int); GRANT SELECT ON t TO " + bob + " WITH GRANT OPTION;"
                + "SET ROLE " + bob + "; GRANT SELECT ON t TO " + carol + "; RESET ROLE");
        grantCreate();

        PgCopyException e = refused(CopyAssertions.spec(pair.source()), spec(pair.target(), app), b -> b.noOwner());

        assertThat(ProblemAssertions.problem(e, ErrorCode.ROLE_MISSING, Side.TARGET, carol).toString())
                .isEqualTo("source privileges name " + carol + ", which does not exist on the target: create the "
                        + "role on the target (or use roles()), or use noAcl()");
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, bob).toString())
                .isEqualTo("source privileges were granted by " + bob + ", not by the objects' owners (e.g. on "
                        + "table public.t), and restoring them needs SET SESSION AUTHORIZATION, which needs a "
                        + "superuser on the target: use noAcl()");

        passesPreflight(CopyAssertions.spec(pair.source()), spec(pair.target(), app), b -> b.noOwner().noAcl());
    }

    @Test
    void untrustedExtensionsAndCommentsOnExtensionsThatAreNotOursAreReported() {
        pair.source().execute("CREATE EXTENSION hstore; COMMENT ON EXTENSION hstore IS 'key/value';"
                + "CREATE EXTENSION pg_buffercache; CREATE TABLE t (h hstore)");
        pair.target().execute("CREATE EXTENSION hstore");
        grantCreate();

        PgCopyException e = refused(CopyAssertions.spec(pair.source()), spec(pair.target(), app),
                b -> b.noOwner().noAcl());

        ProblemAssertions.codes(e, ErrorCode.PRIVILEGE_MISSING, ErrorCode.PRIVILEGE_MISSING);
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, "pg_buffercache")
                .toString()).isEqualTo("extension pg_buffercache is not trusted, so creating it needs a superuser "
                        + "on the target, and " + app + " is not one: have a superuser create it there and use "
                        + "skipExtensions()");
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, "hstore").toString())
                .isEqualTo("COMMENT ON EXTENSION hstore needs the extension's owner, and on the target it already "
                        + "exists, owned by " + pair.target().server().user() + ", not " + app
                        + ": use skipExtensionComments()");

        pair.target().execute("CREATE EXTENSION pg_buffercache");
        passesPreflight(CopyAssertions.spec(pair.source()), spec(pair.target(), app),
                b -> b.noOwner().noAcl().skipExtensionComments());
    }

    @Test
    void aTrustedExtensionTheTargetRoleCreatesIsItsOwnSoItsCommentIsNoProblem() {
        pair.source().execute("CREATE EXTENSION hstore; COMMENT ON EXTENSION hstore IS 'key/value';"
                + "CREATE TABLE t (h hstore)");
        grantCreate();

        passesPreflight(CopyAssertions.spec(pair.source()), spec(pair.target(), app), b -> b.noOwner().noAcl());
    }

    @Test
    void aNonEmptyTargetIsRefusedUnlessDropIfExistsAndThenOnlyWhatTheTargetRoleOwnsCanBeDropped() {
        pair.source().execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1)");
        pair.target().execute("CREATE TABLE t (id int); INSERT INTO t VALUES (42), (43)");
        grantCreate();

        PgCopyException e = refused(CopyAssertions.spec(pair.source()), spec(pair.target(), app),
                b -> b.noOwner().noAcl());
        ProblemAssertions.codes(e, ErrorCode.TARGET_NOT_EMPTY);
        assertThat(e.code()).isEqualTo(ErrorCode.TARGET_NOT_EMPTY);
        assertThat(ProblemAssertions.problem(e, ErrorCode.TARGET_NOT_EMPTY, Side.TARGET, pair.target().name())
                .toString()).isEqualTo("target database " + pair.target().name() + " is not empty (1 relations, "
                        + "e.g. public.t): copy into an empty database, or use dropIfExists() to replace an older "
                        + "copy");

        e = refused(CopyAssertions.spec(pair.source()), spec(pair.target(), app), b -> b.noOwner().noAcl()
                .dropIfExists());
        assertThat(e.getMessage()).doesNotContain("not empty");
        ProblemAssertions.codes(e, ErrorCode.PRIVILEGE_MISSING);
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, "public.t").toString())
                .isEqualTo("dropIfExists() cannot drop 1 target relation owned by another role (public.t owned by "
                        + pair.target().server().user() + "): drop them yourself, or make " + app
                        + " a member of their owner");
        assertThat(pair.target().queryForLong("SELECT count(*) FROM t")).isEqualTo(2);

        passesPreflight(CopyAssertions.spec(pair.source()), CopyAssertions.spec(pair.target()),
                b -> b.dropIfExists());
    }

    @Test
    void copyingRolesNeedsCreateRoleOnTheTargetAndMakesMissingOwnersExistButNotOurs() {
        String alice = role(pair.source(), "alice", "");
        pair.source().execute("CREATE TABLE t (id int); ALTER TABLE t OWNER TO " + alice);
        grantCreate();

        PgCopyException e = refused(CopyAssertions.spec(pair.source()), spec(pair.target(), app),
                b -> b.noAcl().roles());

        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, app).toString())
                .isEqualTo("target role " + app + " lacks CREATEROLE, needed to copy roles: grant it (ALTER ROLE "
                        + app + " CREATEROLE), or create the roles yourself and leave roles() off");
        assertThat(ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, alice).toString())
                .isEqualTo("target role " + app + " will create " + alice + " with roles() but not be a member, so "
                        + "it cannot give objects to it: create the roles on the target and grant them to " + app
                        + " first, or use noOwner()");
        assertThat(e.problems()).extracting(Problem::code).doesNotContain(ErrorCode.ROLE_MISSING);
        assertThat(e.getMessage()).doesNotContain("which does not exist on the target");
    }

    @Test
    void databaseSettingsThatCannotBeSetAreWarningsNotErrors() {
        pair.source().execute("CREATE TABLE t (id int); ALTER DATABASE " + Sql.quoteIdent(pair.source().name())
                + " SET work_mem = '8MB'");
        grantCreate();

        String log = LogCapture.capture(() -> passesPreflight(CopyAssertions.spec(pair.source()),
                spec(pair.target(), app), b -> b.noOwner().noAcl()));

        assertThat(log).contains("database settings work_mem=8MB will be skipped: ALTER DATABASE "
                + pair.target().name() + " SET needs the database's owner or a superuser, and " + app
                + " is neither; use skipDbProperties() to leave them out");
    }

    @Test
    void severalProblemsOnBothSidesAreReportedTogetherAndNothingIsWritten() {
        String reader = role(pair.source(), "reader", "");
        String alice = role(pair.source(), "alice", "");
        pair.source().execute("CREATE SCHEMA sales; CREATE TABLE sales.orders (id int); CREATE TABLE t (id int);"
                + "ALTER TABLE t OWNER TO " + alice + "; GRANT USAGE ON SCHEMA sales TO " + reader);

        PgCopyException e = refused(spec(pair.source(), reader), spec(pair.target(), app), b -> b);

        assertThat(e.getMessage().split("; "))
                .anyMatch(p -> p.startsWith("preflight failed: source role " + reader + " lacks SELECT on 2 tables "
                        + "(public.t, sales.orders)"))
                .anyMatch(p -> p.startsWith("target role " + app + " lacks CREATE on database"))
                .anyMatch(p -> p.startsWith("target role " + app + " lacks CREATE on schema public"))
                .anyMatch(p -> p.startsWith("source objects are owned by "));
        ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.SOURCE, "public.t");
        ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, pair.target().name());
        ProblemAssertions.problem(e, ErrorCode.PRIVILEGE_MISSING, Side.TARGET, "public");
        ProblemAssertions.problem(e, ErrorCode.ROLE_MISSING, Side.TARGET, alice);
        assertThat(e.problems()).extracting(Problem::side).as("both sides")
                .contains(java.util.Optional.of(Side.SOURCE), java.util.Optional.of(Side.TARGET));
    }

    /** Runs the copy, expects the preflight to refuse it, and checks nothing was written on the target. */
    private PgCopyException refused(ConnectionSpec source, ConnectionSpec target,
            UnaryOperator<CopyBuilder> options) {
        long before = pair.target().queryForLong(RELATIONS);
        RecordingListener listener = new RecordingListener();
        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> {
            try {
                options.apply(DatabaseCopy.from(source).to(target).listener(listener)).run();
            } finally {
                listener.assertPaired();
            }
        });
        assertThat(e).as("the copy was refused").isNotNull();
        assertThat(e.code().category()).as(e.getMessage()).isEqualTo(ErrorCode.Category.PREFLIGHT);
        assertThat(e.code()).as("the first problem's").isEqualTo(e.problems().get(0).code());
        assertThat(e.phase()).contains(Phase.PREFLIGHT);
        assertThat(e.getMessage()).startsWith("preflight failed: ").doesNotContain("\n");
        ProblemAssertions.preflightMessage(e);
        assertThat(listener.events("phaseStarted")).extracting(RecordingListener.Event::object)
                .containsExactly("PREFLIGHT");
        assertThat(pair.target().queryForLong(RELATIONS)).as("target relations before and after").isEqualTo(before);
        return e;
    }

    /** Runs the copy up to the schema dump, which is replaced by one that stops the run: nothing is written. */
    private void passesPreflight(ConnectionSpec source, ConnectionSpec target,
            UnaryOperator<CopyBuilder> options) {
        RecordingListener listener = new RecordingListener();
        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> {
            try {
                options.apply(DatabaseCopy.from(source).to(target).listener(listener)).schemaDumper(ctx -> {
                    throw new IllegalStateException("stopped by the test after the preflight");
                }).run();
            } finally {
                listener.assertPaired();
            }
        });
        assertThat(e.phase()).as(e.getMessage()).contains(Phase.DUMP_SCHEMA);
        assertThat(listener.events("phaseFinished")).extracting(RecordingListener.Event::object).contains("PREFLIGHT");
    }

    private String role(TestDatabase db, String base, String attributes) {
        String name = base + suffix;
        db.execute("CREATE ROLE " + name + " LOGIN " + attributes);
        roles.add(new String[] {db == pair.source() ? "source" : "target", name});
        return name;
    }

    private void grantCreate() {
        pair.target().execute("GRANT CREATE ON DATABASE " + Sql.quoteIdent(pair.target().name()) + " TO " + app
                + "; GRANT CREATE ON SCHEMA public TO " + app);
    }

    private static ConnectionSpec spec(TestDatabase db, String user) {
        return ConnectionSpec.jdbc(db.jdbcUrl(), user, null);
    }
}
