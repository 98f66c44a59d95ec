package io.pgcopydb.cli;

import static io.pgcopydb.cli.CommandRun.connectionString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.CopyBuilder;
import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyReport;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.Phase;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Problem;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.Difference.Area;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.Sql;
import io.pgcopydb.testkit.server.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proof of exactness, one change at a time: an exact copy compares identical; then one thing is changed on
 * the target — while {@code verify()} is about to compare, so the copy itself must fail — and the library's
 * comparison names exactly that difference, {@code pgcopydb compare} exits 6 for the area it is in (and 0 for the
 * other), and the copy's verification fails naming it too.
 */
@ExtendWith(PostgresPairExtension.class)
class OneChangeAtATimeIT {
    /** Every object kind the changes below touch. */
    private static final String FIXTURE = """
            CREATE TABLE items (id int PRIMARY KEY, name text, price numeric NOT NULL DEFAULT 0 CHECK (price >= 0));
            INSERT INTO items SELECT i, 'item ' || i, i % 50 FROM generate_series(1, 500) i;
            CREATE INDEX items_name_idx ON items (name);
            CREATE TABLE orders (id int PRIMARY KEY, item_id int REFERENCES items, qty int);
            INSERT INTO orders SELECT i, 1 + i % 500, i % 7 FROM generate_series(1, 300) i;
            CREATE TABLE notes (body text);
            INSERT INTO notes SELECT 'note ' || i FROM generate_series(1, 20) i;
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
            CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();
            CREATE SEQUENCE counter;
            SELECT setval('counter', 42);
            SELECT lo_from_bytea(4242, 'a large object');
            CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            INSERT INTO events SELECT i, date '2024-01-01' + i FROM generate_series(1, 100) i;
            CREATE VIEW cheap AS SELECT id, name FROM items WHERE price < 10;
            COMMENT ON TABLE items IS 'the items';
            """;

    /** One change on the target and the one difference it must cause. */
    enum Change {
        ROW_VALUE("UPDATE items SET name = 'renamed' WHERE id = 123", Area.DATA, "rows of public.items", "rows in "),
        MISSING_ROW("DELETE FROM orders WHERE id = 77", Area.DATA, "rows of public.orders", "rows in "),
        EXTRA_ROW("INSERT INTO items VALUES (501, 'new', 1)", Area.DATA, "rows of public.items", "rows in "),
        DUPLICATED_ROW("DELETE FROM notes WHERE body = 'note 3'; INSERT INTO notes VALUES ('note 4')", Area.DATA,
                "rows of public.notes", "rows"),
        COLUMN_DEFAULT("ALTER TABLE items ALTER price SET DEFAULT 1", Area.SCHEMA, "column public.items.price",
                "default"),
        DROPPED_INDEX("DROP INDEX items_name_idx", Area.SCHEMA, "index public.items_name_idx", "exists"),
        REDEFINED_INDEX("DROP INDEX items_name_idx; CREATE INDEX items_name_idx ON items (lower(name))",
                Area.SCHEMA, "index public.items_name_idx", "definition"),
        CONSTRAINT_NOT_VALID("ALTER TABLE orders DROP CONSTRAINT orders_item_id_fkey, ADD CONSTRAINT "
                + "orders_item_id_fkey FOREIGN KEY (item_id) REFERENCES items NOT VALID", Area.SCHEMA,
                "constraint orders_item_id_fkey on public.orders", "validated"),
        DISABLED_TRIGGER("ALTER TABLE items DISABLE TRIGGER items_touch", Area.SCHEMA,
                "trigger items_touch on public.items", "enabled"),
        SEQUENCE_VALUE("SELECT setval('counter', 43)", Area.DATA, "sequence public.counter", "last value"),
        LARGE_OBJECT_BYTE("SELECT lo_put(4242, 2, 'L')", Area.DATA, "large object 4242", "data"),
        COLUMN_COLLATION("ALTER TABLE notes ALTER body TYPE text COLLATE \"C\"", Area.SCHEMA,
                "column public.notes.body", "collation"),
        GRANT("GRANT SELECT ON items TO PUBLIC", Area.SCHEMA, "table public.items", "acl"),
        COMMENT("COMMENT ON TABLE items IS 'other items'", Area.SCHEMA, "table public.items", "comment"),
        DATABASE_SETTING("ALTER DATABASE %s SET work_mem = '13MB'", Area.SCHEMA, "database setting work_mem",
                "value"),
        PARTITION_BOUND("ALTER TABLE events DETACH PARTITION events_2024; ALTER TABLE events ATTACH PARTITION "
                + "events_2024 FOR VALUES FROM ('2024-01-01') TO ('2026-01-01')", Area.SCHEMA,
                "table public.events_2024", "partition bound"),
        VIEW_DEFINITION("CREATE OR REPLACE VIEW cheap AS SELECT id, name FROM items WHERE price < 20", Area.SCHEMA,
                "view public.cheap", "definition"),
        // What pg_dump --schema-only does not show.
        DATABASE_COMMENT("COMMENT ON DATABASE %s IS 'another database'", Area.SCHEMA, "database", "comment"),
        DATABASE_GRANT("REVOKE TEMPORARY ON DATABASE %s FROM PUBLIC", Area.SCHEMA, "database", "acl"),
        INDEX_CLUSTERED("ALTER TABLE items CLUSTER ON items_name_idx", Area.SCHEMA, "index public.items_name_idx",
                "clustered"),
        INDEX_INVALID("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'items_name_idx'::regclass",
                Area.SCHEMA, "index public.items_name_idx", "valid"),
        SEQUENCE_IS_CALLED("SELECT setval('counter', 42, false)", Area.DATA, "sequence public.counter", "is called"),
        LARGE_OBJECT_ACL("GRANT SELECT ON LARGE OBJECT 4242 TO PUBLIC", Area.DATA, "large object 4242", "acl");

        final String sql;
        final Area area;
        final String object;
        /** The aspect, or its start for a narrowed range ({@code rows in id >= 1 AND id < 201}). */
        final String aspect;

        Change(String sql, Area area, String object, String aspect) {
            this.sql = sql;
            this.area = area;
            this.object = object;
            this.aspect = aspect;
        }

        void applyTo(DatabasePair pair) {
            pair.target().execute(sql.replace("%s", Sql.quoteIdent(pair.target().name())));
        }

        boolean names(Difference d) {
            return d.area() == area && d.object().equals(object)
                    && (aspect.endsWith(" ") ? d.aspect().startsWith(aspect) : d.aspect().equals(aspect));
        }
    }

    @Test
    void anExactCopyComparesIdenticalEverywhere(DatabasePair pair, @TempDir Path work) {
        pair.source().execute(FIXTURE);
        CopyReport report = copy(pair, work).verify().run();

        CompareReport verification = report.verification().orElseThrow();
        assertThat(verification.isIdentical()).as(verification.toText()).isTrue();
        assertThat(verification.tables()).extracting(t -> t.table().toString()).as("the tables with rows")
                .containsExactly("public.events_2024", "public.items", "public.notes", "public.orders");
        assertThat(verification.rowsCompared()).as("the rows copied").isEqualTo(500 + 300 + 20 + 100)
                .isEqualTo(report.totalRows());
        CompareReport again = compare(pair);
        assertThat(again.isIdentical()).as(again.toText()).isTrue();
        for (String what : List.of("schema", "data")) {
            CommandRun run = cliCompare(pair, what);
            assertThat(run.exitCode()).as(run.toString()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Change.class)
    void oneChangeIsNamedExactlyByCompareByTheCliAndByVerify(Change change, DatabasePair pair, @TempDir Path work) {
        pair.source().execute(FIXTURE);
        pair.source().execute("ALTER DATABASE " + Sql.quoteIdent(pair.source().name()) + " SET work_mem = '12MB'");
        AtomicReference<RuntimeException> changeFailed = new AtomicReference<>();
        CopyListener changeBeforeVerifying = new CopyListener() {
            @Override
            public void phaseStarted(Phase phase) {
                if (phase == Phase.VERIFY) {
                    try {
                        change.applyTo(pair);
                    } catch (RuntimeException e) {
                        changeFailed.set(e); // the copy only logs a listener's failure
                    }
                }
            }
        };

        PgCopyException e = catchThrowableOfType(PgCopyException.class,
                () -> copy(pair, work).verify().listener(changeBeforeVerifying).run());

        assertThat(changeFailed.get()).as("the change itself").isNull();
        assertThat(e).as("verify() fails the copy").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.VERIFY_FAILED);
        assertThat(e.phase()).contains(Phase.VERIFY);
        assertThat(e.problems()).as(e.getMessage()).hasSize(1).first()
                .satisfies(p -> assertThat(p.object()).contains(change.object))
                .extracting(Problem::code).isEqualTo(ErrorCode.VERIFY_FAILED);

        CompareReport verification = e.partialReport().flatMap(CopyReport::verification).orElseThrow();
        assertThat(verification.differences()).as("the report's verification").hasSize(1).allMatch(change::names);

        CompareReport result = compare(pair);
        assertThat(result.differences()).as(result.toText()).hasSize(1).allMatch(change::names);
        Difference d = result.differences().get(0);
        assertThat(d.source().equals(d.target())).as("a difference has two different sides: " + d).isFalse();

        CommandRun named = cliCompare(pair, change.area == Area.SCHEMA ? "schema" : "data");
        assertThat(named.exitCode()).as(named.toString()).isEqualTo(ExitCodes.DIFFERENT);
        assertThat(named.out()).contains(change.object);
        CommandRun other = cliCompare(pair, change.area == Area.SCHEMA ? "data" : "schema");
        assertThat(other.exitCode()).as("the other area is untouched: " + other).isZero();
    }

    private static CopyBuilder copy(DatabasePair pair, Path work) {
        return DatabaseCopy.from(spec(pair.source())).to(spec(pair.target())).workDirectory(work.resolve("work"))
                .jobs(2);
    }

    private static CompareReport compare(DatabasePair pair) {
        return DatabaseCompare.of(spec(pair.source()), spec(pair.target())).jobs(2).all();
    }

    private static CommandRun cliCompare(DatabasePair pair, String what) {
        return CommandRun.execute("compare", what, "--source", connectionString(pair.source()), "--target",
                connectionString(pair.target()));
    }

    private static ConnectionSpec spec(TestDatabase db) {
        return ConnectionSpec.parse(connectionString(db));
    }
}
