package io.pgcopydb.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.testkit.server.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionPool} against a real server. Target: a session given back idle serves the next unit (the same
 * backend) in a new session's state, whatever the previous unit left on it; one given back in a transaction,
 * read-only or broken never does; the idle ones are closed with the pool. Source: a session given back is rolled back
 * and its next transaction sees the run's snapshot again, not the rows committed since.
 */
class SessionPoolIT {
    private static LocalPostgres server;
    private static ConnectionSpec spec;
    private static final Map<String, String> CUSTOM = Map.of("app.tenant", "42");

    @BeforeAll
    static void start() throws Exception {
        server = LocalPostgres.start();
        spec = ConnectionSpec.parse("postgres://" + server.user() + "@" + server.host() + ":" + server.port()
                + "/postgres");
        server.execute("postgres", "CREATE TABLE IF NOT EXISTS public.t (v int)");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static SessionPool.Opener opener(List<Connection> opened) {
        return new SessionPool.Opener() {
            @Override
            public Connection open() throws SQLException {
                Connection c = Sessions.openTarget(spec, "77MB", CUSTOM);
                opened.add(c);
                return c;
            }

            @Override
            public void reset(Connection c) throws SQLException {
                Sessions.resetTarget(c, "77MB", CUSTOM);
            }
        };
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void anIdleSessionServesTheNextUnitInANewSessionsState() throws Exception {
        List<Connection> opened = new ArrayList<>();
        try (SessionPool pool = SessionPool.forTarget()) {
            String pid;
            try (Connection c = pool.acquire(opener(opened)); Statement s = c.createStatement()) {
                pid = one(c, "SELECT pg_backend_pid()");
                s.execute("SET work_mem = '3MB'; SET maintenance_work_mem = '5MB'; SET search_path = public; "
                        + "SELECT set_config('app.tenant', '7', false); CREATE TEMP TABLE scratch (i int); "
                        + "SELECT pg_advisory_lock(4242); PREPARE p AS SELECT 1; LISTEN somewhere; "
                        + "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE");
                c.setAutoCommit(false);
                s.execute("SELECT 1");
                c.commit();
            }
            try (Connection c = pool.acquire(opener(opened))) {
                assertThat(one(c, "SELECT pg_backend_pid()")).as("the same backend").isEqualTo(pid);
                assertThat(c.getAutoCommit()).isTrue();
                assertThat(one(c, "SHOW work_mem")).isEqualTo(server.queryForString("postgres", "SHOW work_mem"));
                assertThat(one(c, "SHOW maintenance_work_mem")).isEqualTo("77MB");
                assertThat(one(c, "SHOW search_path")).isEqualTo("pg_catalog");
                assertThat(one(c, "SHOW synchronous_commit")).isEqualTo("off");
                assertThat(one(c, "SHOW transaction_isolation")).isEqualTo("read committed");
                assertThat(one(c, "SELECT current_setting('app.tenant')")).isEqualTo("42");
                assertThat(one(c, "SELECT count(*) FROM pg_class WHERE relname = 'scratch' "
                        + "AND relpersistence = 't'")).as("temporary table dropped").isEqualTo("0");
                assertThat(one(c, "SELECT count(*) FROM pg_prepared_statements")).isEqualTo("0");
                assertThat(one(c, "SELECT count(*) FROM pg_listening_channels()")).isEqualTo("0");
                assertThat(server.queryForString("postgres", "SELECT count(*) FROM pg_locks "
                        + "WHERE locktype = 'advisory' AND objid = 4242")).as("advisory lock released").isEqualTo("0");
            }
            assertThat(opened).as("one session opened, handed on once").hasSize(1);
        }
        assertThat(opened.get(0).isClosed()).as("the idle session is closed with the pool").isTrue();
    }

    @Test
    void aSessionGivenBackInATransactionIsClosedAndItsWorkRolledBack() throws Exception {
        List<Connection> opened = new ArrayList<>();
        try (SessionPool pool = SessionPool.forTarget()) {
            try (Connection c = pool.acquire(opener(opened)); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO public.t VALUES (1)");
            }
            assertThat(opened.get(0).isClosed()).isTrue();
            assertThat(server.queryForString("postgres", "SELECT count(*) FROM public.t")).isEqualTo("0");
            try (Connection c = pool.acquire(opener(opened))) {
                c.setReadOnly(true);
            }
            assertThat(opened.get(1).isClosed()).as("read-only: not handed on").isTrue();
            assertThat(opened).as("two sessions opened, none handed on").hasSize(2);
        }
    }

    @Test
    void aSessionWhoseBackendEndedWhileIdleIsReplaced() throws Exception {
        List<Connection> opened = new ArrayList<>();
        try (SessionPool pool = SessionPool.forTarget()) {
            String pid;
            try (Connection c = pool.acquire(opener(opened))) {
                pid = one(c, "SELECT pg_backend_pid()");
            }
            server.queryForString("postgres", "SELECT pg_terminate_backend(" + pid + ")");
            try (Connection c = pool.acquire(opener(opened))) {
                assertThat(one(c, "SELECT pg_backend_pid()")).isNotEqualTo(pid);
                assertThat(one(c, "SHOW synchronous_commit")).isEqualTo("off");
            }
            assertThat(opened).hasSize(2);
        }
    }

    @Test
    void aHandleIsClosedOnceGivenBackWhateverItsSessionDoesNext() throws Exception {
        try (SessionPool pool = SessionPool.forTarget()) {
            Connection first = pool.acquire(opener(new ArrayList<>()));
            first.close();
            first.close();
            assertThat(first.isClosed()).isTrue();
            assertThatThrownBy(first::createStatement).isInstanceOf(SQLException.class).hasMessageContaining("closed");
            try (Connection second = pool.acquire(opener(new ArrayList<>()))) {
                assertThat(second.isClosed()).isFalse();
                assertThat(one(second, "SELECT 1")).isEqualTo("1");
            }
        }
    }

    @Test
    void atMostMaxIdleSessionsWait() throws Exception {
        List<Connection> opened = new ArrayList<>();
        try (SessionPool pool = SessionPool.forTarget()) {
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < SessionPool.MAX_IDLE + 2; i++) {
                held.add(pool.acquire(opener(opened)));
            }
            for (Connection c : held) {
                c.close();
            }
            assertThat(opened.stream().filter(c -> {
                try {
                    return !c.isClosed();
                } catch (SQLException e) {
                    return false;
                }
            })).hasSize(SessionPool.MAX_IDLE);
        }
    }

    private static SessionPool.Opener sourceOpener(Optional<String> snapshot, List<Connection> opened) {
        return new SessionPool.Opener() {
            @Override
            public Connection open() throws SQLException {
                Connection c = Sessions.openSource(spec, snapshot);
                opened.add(c);
                return c;
            }

            @Override
            public void reset(Connection c) throws SQLException {
                Sessions.resetSource(c, snapshot);
            }
        };
    }

    @Test
    void aSourceSessionIsRolledBackAndSeesTheSnapshotAgain() throws Exception {
        server.execute("postgres", "CREATE TABLE IF NOT EXISTS public.s (v int); TRUNCATE public.s; "
                + "INSERT INTO public.s VALUES (1)");
        List<Connection> opened = new ArrayList<>();
        try (Connection holder = Sessions.openSource(spec, Optional.empty());
                SessionPool pool = SessionPool.forSource()) {
            String snapshot = one(holder, "SELECT pg_export_snapshot()");
            server.execute("postgres", "INSERT INTO public.s VALUES (2)");
            String pid;
            try (Connection c = pool.acquire(sourceOpener(Optional.of(snapshot), opened));
                    Statement s = c.createStatement()) {
                pid = one(c, "SELECT pg_backend_pid()");
                assertThat(one(c, "SELECT count(*) FROM public.s")).isEqualTo("1");
                s.execute("SET work_mem = '3MB'");
            }
            server.execute("postgres", "INSERT INTO public.s VALUES (3)");
            try (Connection c = pool.acquire(sourceOpener(Optional.of(snapshot), opened))) {
                assertThat(one(c, "SELECT pg_backend_pid()")).as("the same backend").isEqualTo(pid);
                assertThat(one(c, "SELECT count(*) FROM public.s")).as("the snapshot's rows only").isEqualTo("1");
                assertThat(one(c, "SHOW work_mem")).as("the unit's setting rolled back")
                        .isEqualTo(server.queryForString("postgres", "SHOW work_mem"));
                assertThat(one(c, "SHOW transaction_isolation")).isEqualTo("repeatable read");
                assertThat(one(c, "SHOW transaction_read_only")).isEqualTo("on");
                assertThat(one(c, "SHOW search_path")).isEqualTo("pg_catalog");
            }
            try (Connection c = pool.acquire(sourceOpener(Optional.of(snapshot), opened))) {
                c.rollback();
                c.setAutoCommit(true);
            }
            assertThat(opened).hasSize(1);
            assertThat(opened.get(0).isClosed()).as("given back in autocommit: not handed on").isTrue();
            try (Connection c = pool.acquire(sourceOpener(Optional.empty(), opened))) {
                assertThat(one(c, "SELECT count(*) FROM public.s")).as("no snapshot: its own").isEqualTo("3");
            }
        }
    }
}
