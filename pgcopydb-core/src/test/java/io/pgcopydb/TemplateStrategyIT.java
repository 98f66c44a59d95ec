package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.SampleDatabase;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same-server fast path ({@code CREATE DATABASE … TEMPLATE}): exact, and chosen by {@code AUTO} only when
 * safe; a forced {@code TEMPLATE} that cannot run is one line and drops nothing; a missing target database is
 * created, shaped like the source, whatever the strategy.
 */
@ExtendWith(PostgresPairExtension.class)
class TemplateStrategyIT {
    /** Databases a test made the library create, dropped after it. */
    private final List<TestDatabase> created = new ArrayList<>();

    @AfterEach
    void dropCreated() {
        created.forEach(db -> db.server().execute(db.server().maintenanceDatabase(),
                "DROP DATABASE IF EXISTS \"" + db.name() + "\""));
    }

    private TestDatabase fresh(PostgresServer server, DatabasePair pair, String suffix) {
        TestDatabase db = new TestDatabase(server, pair.source().name() + "_" + suffix);
        created.add(db);
        return db;
    }

    private static CopyReport copy(TestDatabase source, TestDatabase target, RecordingListener listener,
            UnaryOperator<CopyBuilder> tweak) {
        try {
            return tweak.apply(DatabaseCopy.from(CopyAssertions.spec(source)).to(CopyAssertions.spec(target))
                    .listener(listener)).run();
        } finally {
            listener.assertPaired();
        }
    }

    private static boolean exists(TestDatabase db) {
        return db.server().queryForString(db.server().maintenanceDatabase(),
                "SELECT datname FROM pg_database WHERE datname = '" + db.name() + "'") != null;
    }

    @Test
    void autoOnTheSameServerCopiesByTemplateExactly(DatabasePair pair) {
        pair.source().load(SampleDatabase.of(0.02));
        // What the server does not copy with the files: shared catalogs keyed by the database.
        String db = "\"" + pair.source().name() + "\"";
        pair.source().execute("ALTER DATABASE " + db + " SET work_mem = '7MB'; COMMENT ON DATABASE " + db
                + " IS 'the fixture'; REVOKE TEMPORARY ON DATABASE " + db + " FROM PUBLIC");
        TestDatabase target = fresh(pair.source().server(), pair, "tpl");
        RecordingListener listener = new RecordingListener();

        CopyReport report = copy(pair.source(), target, listener, b -> b.verify());

        assertThat(report.strategy().strategy()).isEqualTo(Strategy.TEMPLATE);
        assertThat(report.strategy().reason()).startsWith("same server (system identifier ");
        assertThat(report.strategy().createdTarget()).hasValueSatisfying(c -> assertThat(c).contains("created from "
                + "template " + pair.source().name()));
        assertThat(report.toJson()).contains("\"strategy\":{\"name\":\"TEMPLATE\"");
        assertThat(report.stepTable()).contains("Strategy: template (same server");
        assertThat(listener.events("strategyChosen")).singleElement()
                .satisfies(e -> assertThat(e.object()).startsWith("TEMPLATE: same server"));
        assertThat(report.verification()).as("verify() ran on the template path").isPresent();
        CopyAssertions.assertIdentical(CopyAssertions.compare(pair.source(), target, Filters.none()));
        assertThat(target.queryForString("SELECT shobj_description(oid, 'pg_database') || ' ' || datacl::text"
                + " FROM pg_database WHERE datname = current_database()")).startsWith("the fixture {")
                .doesNotContain("=T");
        assertThat(target.queryForString("SHOW work_mem")).isEqualTo("7MB");
    }

    @Test
    void aBusyTemplateStreamsWithTheReasonAndEndsNoSession(DatabasePair pair) throws Exception {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 100)");
        TestDatabase target = fresh(pair.source().server(), pair, "busy");
        RecordingListener listener = new RecordingListener();
        try (Connection other = pair.source().connect()) {
            CopyReport report = copy(pair.source(), target, listener, UnaryOperator.identity());

            assertThat(report.strategy().strategy()).isEqualTo(Strategy.STREAM);
            assertThat(report.strategy().reason()).contains("1 other session(s) on the source database")
                    .contains("a template needs none");
            assertThat(report.strategy().createdTarget()).isPresent();
            assertThat(listener.events("strategyChosen")).singleElement()
                    .satisfies(e -> assertThat(e.object()).startsWith("STREAM: 1 other session(s)"));
            assertThat(other.isValid(2)).as("the other session was not ended").isTrue();
        }
        CopyAssertions.assertIdentical(CopyAssertions.compare(pair.source(), target, Filters.none()));
    }

    @Test
    void terminateSourceSessionsEndsThemAndTakesTheTemplate(DatabasePair pair) throws Exception {
        pair.source().execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 100)");
        TestDatabase target = fresh(pair.source().server(), pair, "term");
        try (Connection other = pair.source().connect()) {
            CopyReport report = copy(pair.source(), target, new RecordingListener(),
                    b -> b.strategy(Strategy.TEMPLATE).terminateSourceSessions());

            assertThat(report.strategy().strategy()).isEqualTo(Strategy.TEMPLATE);
            assertThat(report.warnings()).anyMatch(w -> w.contains("1 session(s) on the source database ended"));
            assertThat(other.isValid(2)).as("the other session was ended").isFalse();
        }
        assertThat(target.queryForLong("SELECT count(*) FROM t")).isEqualTo(100);
    }

    @Test
    void differentServersStreamIntoACreatedDatabaseShapedLikeTheSource(DatabasePair pair) {
        pair.source().load(SampleDatabase.of(0.01));
        TestDatabase target = fresh(pair.target().server(), pair, "other");

        CopyReport report = copy(pair.source(), target, new RecordingListener(), UnaryOperator.identity());

        assertThat(report.strategy().strategy()).isEqualTo(Strategy.STREAM);
        assertThat(report.strategy().reason()).startsWith("different servers (system identifier ");
        assertThat(report.strategy().createdTarget()).hasValueSatisfying(c -> assertThat(c)
                .contains("target database " + target.name() + " created: encoding "));
        String shape = "SELECT pg_encoding_to_char(encoding) || ' ' || datcollate || ' ' || datctype || ' ' "
                + "|| pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()";
        assertThat(target.queryForString(shape)).isEqualTo(pair.source().queryForString(shape));
        CopyAssertions.assertIdentical(CopyAssertions.compare(pair.source(), target, Filters.none()));
    }

    @Test
    void aFilterOnTheSameServerStreams(DatabasePair pair) {
        pair.source().execute("CREATE TABLE keep (id int); CREATE TABLE leave (id int); INSERT INTO keep VALUES (1)");
        TestDatabase target = fresh(pair.source().server(), pair, "filtered");

        CopyReport report = copy(pair.source(), target, new RecordingListener(),
                b -> b.filter(Filters.none().excludeTable("public.leave")));

        assertThat(report.strategy().strategy()).isEqualTo(Strategy.STREAM);
        assertThat(report.strategy().reason()).startsWith("filter(…) asked");
        assertThat(target.queryForLong("SELECT count(*) FROM pg_class WHERE relname = 'leave'")).isZero();
    }

    @Test
    void forcedTemplateOnAnotherServerIsOneLineAndCreatesNothing(DatabasePair pair) {
        TestDatabase target = fresh(pair.target().server(), pair, "nope");

        assertThatThrownBy(() -> copy(pair.source(), target, new RecordingListener(),
                b -> b.strategy(Strategy.TEMPLATE)))
                .isInstanceOfSatisfying(PgCopyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TEMPLATE_REFUSED);
                    assertThat(e.getMessage()).startsWith("strategy(TEMPLATE) refused: different servers")
                            .doesNotContain("\n");
                });
        assertThat(exists(target)).isFalse();
    }

    @Test
    void forcedTemplateIntoAnExistingDatabaseIsOneLineAndDropsNothing(DatabasePair pair) {
        TestDatabase target = fresh(pair.source().server(), pair, "exists");
        target.server().createDatabase(target.name());
        target.execute("CREATE TABLE mine (id int)");

        assertThatThrownBy(() -> copy(pair.source(), target, new RecordingListener(),
                b -> b.strategy(Strategy.TEMPLATE)))
                .isInstanceOfSatisfying(PgCopyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TARGET_EXISTS);
                    assertThat(e.getMessage()).isEqualTo("strategy(TEMPLATE) refused: the target database "
                            + target.name() + " exists: drop it, name another, or add dropIfExists() to replace it "
                            + "whole");
                    assertThat(e.problems().get(0).remedy()).contains("dropIfExists()");
                });
        assertThat(target.queryForLong("SELECT count(*) FROM pg_class WHERE relname = 'mine'")).isEqualTo(1);
    }

    @Test
    void forcedTemplateFromAMissingDatabaseIsOneLine(DatabasePair pair) {
        TestDatabase missing = new TestDatabase(pair.source().server(), pair.source().name() + "_missing");
        TestDatabase target = fresh(pair.source().server(), pair, "frommissing");

        assertThatThrownBy(() -> copy(missing, target, new RecordingListener(), b -> b.strategy(Strategy.TEMPLATE)))
                .isInstanceOfSatisfying(PgCopyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_NOT_FOUND);
                    assertThat(e.getMessage()).startsWith("strategy(TEMPLATE): the template database "
                            + missing.name() + " cannot be used").doesNotContain("\n");
                });
        assertThat(exists(target)).isFalse();
    }

    @Test
    void dropIfExistsReplacesAnEmptyTargetByTemplate(DatabasePair pair) {
        pair.source().execute("CREATE TABLE t (id int); INSERT INTO t VALUES (7)");
        TestDatabase target = fresh(pair.source().server(), pair, "empty");
        target.server().createDatabase(target.name());

        CopyReport report = copy(pair.source(), target, new RecordingListener(), b -> b.dropIfExists());

        assertThat(report.strategy().strategy()).isEqualTo(Strategy.TEMPLATE);
        assertThat(target.queryForLong("SELECT id FROM t")).isEqualTo(7);
    }

    @Test
    void templateWithAnOptionItCannotHonourIsRefusedWhenBuilt() {
        ConnectionSpec a = ConnectionSpec.parse("postgres://u@h/a");
        assertThatThrownBy(() -> DatabaseCopy.from(a).to(a.withDatabase("b")).strategy(Strategy.TEMPLATE).noOwner()
                .options()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("strategy(TEMPLATE) copies the whole database as it is, and noOwner() asks otherwise: "
                        + "use strategy(STREAM) or AUTO");
    }

    @Test
    void aRoleThatMayNotReadTheControlDataIsToldTheServerByItsStartTime(DatabasePair pair) {
        PostgresServer server = pair.source().server();
        String role = "tpl_owner_" + Long.toHexString(System.nanoTime());
        String source = "\"" + pair.source().name() + "\"";
        // A function's privileges are per database: revoked in the source and in the maintenance database.
        pair.source().execute("CREATE TABLE item (id int PRIMARY KEY); INSERT INTO item VALUES (1);"
                + " REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC");
        // Executable by everyone by default; servers (managed ones) that revoke it leave the start time to go by.
        server.execute(server.maintenanceDatabase(), "CREATE ROLE " + role + " LOGIN CREATEDB; ALTER DATABASE "
                + source + " OWNER TO " + role + "; REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC");
        TestDatabase target = fresh(server, pair, "role");
        try {
            CopyReport report = DatabaseCopy.from(ConnectionSpec.jdbc(pair.source().jdbcUrl(), role, null))
                    .to(ConnectionSpec.jdbc(target.jdbcUrl(), role, null)).run();

            assertThat(report.strategy().strategy()).isEqualTo(Strategy.TEMPLATE);
            assertThat(report.strategy().reason()).as("pg_control_system() revoked")
                    .startsWith("same server (postmaster start time (pg_control_system() refused) started ");
            assertThat(target.queryForString("SELECT count(*) FROM item")).isEqualTo("1");
        } finally {
            server.execute(server.maintenanceDatabase(), "DROP DATABASE IF EXISTS \"" + target.name() + "\"");
            server.execute(server.maintenanceDatabase(), "ALTER DATABASE " + source + " OWNER TO \"" + server.user()
                    + "\"; DROP ROLE " + role + "; GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC");
        }
    }
}
