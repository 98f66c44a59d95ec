package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.Sql;
import io.pgcopydb.testkit.server.TestDatabase;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A schema whose values, constraints and triggers depend on the session and on the copy's own DDL, copied with
 * hostile settings on both sides — at the database level, then at the role level — and proven exact by the
 * comparison (which sees what {@code pg_dump --schema-only} does not: the database's comment and privileges,
 * role-in-database settings, index clustering, large objects' metadata, {@code is_called}, column order):
 * <ul>
 *   <li>every {@code reg*} type, one value naming an object of a schema only the source's {@code search_path}
 *       finds, beside a same-named table in {@code public} that the target's {@code search_path} would find;</li>
 *   <li>dates, intervals, floats, bytea, xml content and backslashes in literals, under {@code DateStyle},
 *       {@code IntervalStyle}, {@code extra_float_digits}, {@code bytea_output}, {@code xmloption},
 *       {@code standard_conforming_strings} set to values that change or refuse them;</li>
 *   <li>time limits ({@code statement_timeout}, {@code lock_timeout}, {@code idle_in_transaction_session_timeout})
 *       and {@code default_transaction_read_only}, {@code default_transaction_isolation} that would stop the
 *       copy;</li>
 *   <li>a custom setting ({@code ALTER DATABASE … SET app.tenant}) read by a CHECK, a domain, a DEFAULT, an index
 *       expression and a trigger;</li>
 *   <li>an event trigger that writes (a table and its sequence) and one that refuses all DDL;</li>
 *   <li>the database's comment and grants.</li>
 * </ul>
 */
@ExtendWith(PostgresPairExtension.class)
class SessionIndependenceIT {
    private static final String ROLES = """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'exact_reader') THEN CREATE ROLE exact_reader; END IF;
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'exact_admin') THEN CREATE ROLE exact_admin; END IF;
            END $$;
            """;

    private static final String FIXTURE = """
            SET app.tenant = 'acme';
            CREATE SCHEMA app;
            CREATE TABLE app.ddl_audit (id serial PRIMARY KEY, tag text NOT NULL);
            CREATE FUNCTION app.audit_ddl() RETURNS event_trigger LANGUAGE plpgsql
                AS $$ BEGIN INSERT INTO app.ddl_audit (tag) VALUES (tg_tag); END $$;
            CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE FUNCTION app.audit_ddl();
            COMMENT ON EVENT TRIGGER audit_ddl IS 'writes down every DDL command';

            CREATE TABLE app.items (id int PRIMARY KEY, name text NOT NULL);
            CREATE TABLE public.items (id int PRIMARY KEY, name text NOT NULL);
            INSERT INTO app.items SELECT i, 'app item ' || i FROM generate_series(1, 50) i;
            INSERT INTO public.items SELECT i, 'public item ' || i FROM generate_series(1, 50) i;
            ALTER TABLE app.items CLUSTER ON items_pkey;
            CREATE INDEX items_plain_name_idx ON app.items (name) WHERE name <> 'a\\b';
            CREATE TABLE app.orders (id int PRIMARY KEY, item_id int NOT NULL REFERENCES app.items);
            INSERT INTO app.orders SELECT i, 1 + i % 50 FROM generate_series(1, 200) i;
            CREATE MATERIALIZED VIEW app.item_names AS SELECT id, name FROM app.items;
            GRANT SELECT ON app.items TO exact_reader;

            CREATE TYPE app.mood AS ENUM ('ok', 'sad');
            CREATE FUNCTION app.twice(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 2';
            CREATE FUNCTION app.only_in_app(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1';
            CREATE OPERATOR app.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq);
            CREATE COLLATION app.c_copy FROM "C";
            CREATE TEXT SEARCH DICTIONARY app.simple_dict (TEMPLATE = pg_catalog.simple);
            CREATE TEXT SEARCH CONFIGURATION app.cfg (COPY = pg_catalog.simple);
            CREATE TABLE app.refs (
                id int PRIMARY KEY, c regclass, p regproc, pp regprocedure, o regoper, oo regoperator, t regtype,
                cfg regconfig, d regdictionary, ns regnamespace, r regrole, coll regcollation,
                ts timestamptz, dt date, iv interval, f float8, b bytea, x xml, note text);
            INSERT INTO app.refs VALUES
              (1, 'app.items', 'app.only_in_app', 'app.twice(integer)', 'app.===', 'app.===(integer,integer)',
               'app.mood', 'app.cfg', 'app.simple_dict', 'app', 'exact_reader', 'app.c_copy',
               '2024-02-29 23:59:59.123456+05:45', '2024-06-05', '-1 year +2 days -03:04:05.678',
               0.1::float8 + 0.2::float8, '\\x00ff5c27'::bytea, 'some <b>content</b>, not a document', 'C:\\temp'),
              (2, 'public.items', 'pg_catalog.now', 'pg_catalog.abs(integer)', 'pg_catalog.||/',
               'pg_catalog.+(integer,integer)', 'integer', 'simple', 'simple', 'public', 'pg_monitor', '"C"',
               '1900-01-01 00:00:00+00', '1999-12-31', '1 mon 2 days', 1e-300, '', '<doc/>', 'quote '' here');
            SET search_path = app, public;
            INSERT INTO app.refs (id, c, p, t) VALUES (3, 'items', 'only_in_app', 'mood');
            RESET search_path;

            CREATE DOMAIN app.tenant_name AS text CHECK (VALUE = current_setting('app.tenant'));
            CREATE FUNCTION app.tenant_key(text) RETURNS text LANGUAGE sql IMMUTABLE
                AS $$ SELECT $1 || '@' || current_setting('app.tenant') $$;
            CREATE FUNCTION app.stamp() RETURNS trigger LANGUAGE plpgsql
                AS $$ BEGIN NEW.touched_by := current_setting('app.tenant'); RETURN NEW; END $$;
            CREATE TABLE app.accounts (
                id int PRIMARY KEY,
                tenant text NOT NULL DEFAULT current_setting('app.tenant') CHECK (tenant = current_setting('app.tenant')),
                owner app.tenant_name,
                touched_by text);
            CREATE TRIGGER accounts_stamp BEFORE INSERT OR UPDATE ON app.accounts
                FOR EACH ROW EXECUTE FUNCTION app.stamp();
            INSERT INTO app.accounts (id, owner) SELECT i, 'acme' FROM generate_series(1, 30) i;
            CREATE INDEX accounts_key_idx ON app.accounts (app.tenant_key(owner));

            CREATE SEQUENCE app.never_used;
            CREATE SEQUENCE app.reset_back;
            SELECT setval('app.reset_back', 10, false);
            SELECT lo_from_bytea(7001, 'a large object');
            ALTER LARGE OBJECT 7001 OWNER TO exact_admin;
            GRANT SELECT ON LARGE OBJECT 7001 TO exact_reader;

            CREATE FUNCTION app.no_ddl() RETURNS event_trigger LANGUAGE plpgsql
                AS $$ BEGIN RAISE EXCEPTION 'no DDL in this database: %', tg_tag; END $$;
            CREATE EVENT TRIGGER no_ddl ON ddl_command_start EXECUTE FUNCTION app.no_ddl();
            """;

    /** Where the hostile settings are set. */
    enum Level {
        DATABASE, ROLE
    }

    /** Each pinned setting: a hostile value on the source, another on the target. */
    private static final Map<String, String[]> HOSTILE = new LinkedHashMap<>();

    static {
        HOSTILE.put("search_path", new String[] {"app, public", "public, app"});
        HOSTILE.put("DateStyle", new String[] {"'SQL, DMY'", "'SQL, MDY'"});
        HOSTILE.put("IntervalStyle", new String[] {"sql_standard", "iso_8601"});
        HOSTILE.put("TimeZone", new String[] {"'Asia/Kathmandu'", "'America/St_Johns'"});
        HOSTILE.put("extra_float_digits", new String[] {"-15", "-14"});
        HOSTILE.put("bytea_output", new String[] {"escape", "escape"});
        HOSTILE.put("xmloption", new String[] {"document", "document"});
        HOSTILE.put("standard_conforming_strings", new String[] {"off", "off"});
        HOSTILE.put("default_transaction_read_only", new String[] {"on", "on"});
        HOSTILE.put("default_transaction_isolation", new String[] {"serializable", "serializable"});
        HOSTILE.put("idle_in_transaction_session_timeout", new String[] {"'300ms'", "'300ms'"});
        HOSTILE.put("statement_timeout", new String[] {"'2s'", "'2s'"});
        HOSTILE.put("lock_timeout", new String[] {"'1ms'", "'1ms'"});
        HOSTILE.put("row_security", new String[] {"on", "on"});
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void copiesExactlyWhateverTheSessionsWouldInherit(Level level, DatabasePair pair) {
        pair.source().execute(ROLES);
        pair.target().execute(ROLES);
        pair.source().execute(FIXTURE);
        String sourceDb = Sql.quoteIdent(pair.source().name());
        pair.source().execute("COMMENT ON DATABASE " + sourceDb + " IS E'the unusual fixture, C:\\\\temp';"
                + " GRANT CONNECT, TEMPORARY ON DATABASE " + sourceDb + " TO exact_reader;"
                + " GRANT CREATE ON DATABASE " + sourceDb + " TO exact_admin WITH GRANT OPTION;"
                + " REVOKE TEMPORARY ON DATABASE " + sourceDb + " FROM PUBLIC;"
                + " ALTER DATABASE " + sourceDb + " SET app.tenant = 'acme'");
        long auditRows = pair.source().queryForLong("SELECT count(*) FROM app.ddl_audit");
        hostile(pair.source(), level, 0);
        hostile(pair.target(), level, 1);

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.jobs(2).indexJobs(2).verify());

        assertThat(report.succeeded()).isTrue();
        CompareReport verification = report.verification().orElseThrow();
        assertThat(verification.isIdentical()).as(verification.toText()).isTrue();
        CopyAssertions.assertIdentical(pair);
        TestDatabase target = pair.target();
        assertThat(target.queryForString("SELECT string_agg(id || ':' || (c = 'app.items'::pg_catalog.regclass), ',' "
                + "ORDER BY id) FROM app.refs WHERE c::pg_catalog.oid <> 0")).as("regclass values point where they did")
                .isEqualTo("1:true,2:false,3:true");
        assertThat(target.queryForString("SELECT (dt = date '2024-06-05' AND f = 0.1::float8 + 0.2::float8 "
                + "AND iv = interval '-1 year +2 days -03:04:05.678')::text FROM app.refs WHERE id = 1"))
                .as("date, float and interval unchanged").isEqualTo("true");
        assertThat(target.queryForLong("SELECT count(*) FROM app.ddl_audit"))
                .as("the event trigger did not fire on the copy's own DDL").isEqualTo(auditRows);
        assertThat(target.queryForString("SELECT pg_catalog.shobj_description(oid, 'pg_database') FROM "
                + "pg_catalog.pg_database WHERE datname = current_database()")).isEqualTo("the unusual fixture, C:\\temp");
        assertThat(target.queryForString("SELECT pg_catalog.has_database_privilege('exact_admin', "
                + "current_database(), 'CREATE WITH GRANT OPTION')::text")).isEqualTo("true");
    }

    /** Sets every pinned setting of {@link #HOSTILE} to its value for {@code side} at {@code level}. */
    private static void hostile(TestDatabase db, Level level, int side) {
        String database = Sql.quoteIdent(db.name());
        String prefix = level == Level.DATABASE ? "ALTER DATABASE " + database
                : "ALTER ROLE " + Sql.quoteIdent(db.server().user()) + " IN DATABASE " + database;
        StringBuilder sql = new StringBuilder();
        HOSTILE.forEach((name, values) -> sql.append(prefix).append(" SET ").append(name).append(" = ")
                .append(values[side]).append(";\n"));
        db.execute(sql.toString());
    }
}
