package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.model.Side;
import io.pgcopydb.stage.StageContext;
import io.pgcopydb.stage.ToolResult;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The standard planner on real sources: an integer key splits by value, a text key and no key by pages, a table
 * whose bytes are mostly TOAST by its heap plus TOAST size, {@code skipSplitByCtid} and a PostgreSQL 12 source
 * (no TID range scan) copy such tables whole, the latter saying why.
 */
@ExtendWith(PostgresPairExtension.class)
class DefaultTablePlannerIT {
    private static final long THRESHOLD = 300_000;
    private static final String TABLES = io.pgcopydb.SplitFixture.TABLES + """
            CREATE TABLE public.tiny (id int);
            INSERT INTO public.tiny SELECT generate_series(1, 10);
            """;

    @Test
    void splitsByKeyElseByPagesCountingToast(DatabasePair pair) {
        pair.source().execute(TABLES);
        long heap = pair.source().queryForLong("SELECT pg_relation_size('public.toasty')");
        long toast = pair.source().queryForLong("SELECT pg_relation_size(reltoastrelid) FROM pg_class"
                + " WHERE oid = 'public.toasty'::regclass");
        assertThat(toast).as("most of toasty's bytes are in TOAST").isGreaterThan(10 * heap);
        assertThat(heap).as("its heap alone is under the threshold").isLessThan(THRESHOLD);

        CopyPlan plan = new DefaultTablePlanner().plan(catalog(pair.source()), new SourceOnly(pair.source(), true));

        assertThat(parts(plan, "ints")).hasSize(4).allSatisfy(p -> {
            assertThat(p.split()).isEqualTo(TablePart.Split.BY_VALUE);
            assertThat(p.predicate().orElseThrow()).contains("\"id\"");
        });
        assertThat(parts(plan, "texts")).hasSize(4).allSatisfy(p -> {
            assertThat(p.split()).isEqualTo(TablePart.Split.BY_PAGE);
            assertThat(p.predicate().orElseThrow()).contains("ctid");
        });
        assertThat(parts(plan, "toasty")).as("split on heap + TOAST bytes").hasSize(4)
                .allSatisfy(p -> assertThat(p.split()).isEqualTo(TablePart.Split.BY_PAGE));
        assertThat(parts(plan, "tiny")).containsExactly(TablePart.whole(table(plan, "tiny")));
    }

    @Test
    void skipSplitByCtidCopiesTablesWithoutAnIntegerKeyWhole(DatabasePair pair) {
        pair.source().execute(TABLES);

        CopyPlan plan = new DefaultTablePlanner().plan(catalog(pair.source()), new SourceOnly(pair.source(), false));

        assertThat(parts(plan, "ints")).hasSize(4);
        assertThat(parts(plan, "texts")).containsExactly(TablePart.whole(table(plan, "texts")));
        assertThat(parts(plan, "toasty")).containsExactly(TablePart.whole(table(plan, "toasty")));
    }

    @Test
    @PostgresPair(source = 12, target = 15)
    void aSourceWithoutTidRangeScansCopiesThemWholeSayingWhy(DatabasePair pair) {
        pair.source().execute(TABLES);
        SourceCatalog catalog = catalog(pair.source());

        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        CopyPlan plan;
        try {
            plan = new DefaultTablePlanner().plan(catalog, new SourceOnly(pair.source(), true));
        } finally {
            System.setErr(original);
        }

        assertThat(parts(plan, "ints")).as("key ranges need no TID range scan").hasSize(4);
        assertThat(parts(plan, "texts")).containsExactly(TablePart.whole(table(plan, "texts")));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("public.texts")
                .contains("older than PostgreSQL 14 has no TID range scan");
    }

    private static List<TablePart> parts(CopyPlan plan, String table) {
        return plan.parts().stream().filter(p -> p.table().name().name().equals(table)).toList();
    }

    private static SourceTable table(CopyPlan plan, String table) {
        return parts(plan, table).get(0).table();
    }

    /** The public tables with their heap + TOAST size, as the catalog reader measures it. */
    private static SourceCatalog catalog(TestDatabase db) {
        List<SourceTable> tables = new ArrayList<>();
        for (String name : List.of("ints", "texts", "toasty", "tiny")) {
            long oid = db.queryForLong("SELECT 'public." + name + "'::regclass::oid");
            long bytes = db.queryForLong("SELECT pg_table_size('public." + name + "')");
            tables.add(new SourceTable(oid, new QualifiedName("public", name), bytes, -1, List.of(), false));
        }
        return new SourceCatalog(tables, List.of(), List.of(), 0);
    }

    /** What the planner uses of a run: source connections and the split settings; nothing else. */
    private record SourceOnly(TestDatabase db, boolean splitByCtid) implements StageContext {
        @Override
        public Connection openSource() throws SQLException {
            Connection c = db.connect();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            return c;
        }

        @Override
        public long splitTablesLargerThan() {
            return THRESHOLD;
        }

        @Override
        public int splitMaxParts() {
            return 4;
        }

        @Override
        public Optional<String> snapshotId() {
            return Optional.empty();
        }

        @Override
        public Path workDirectory() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Connection openTarget() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path clientTool(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, String> clientEnvironment(Side side) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ToolResult runClientTool(String tool, List<String> arguments, Side side, String logName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String databaseArgument(Side side) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isStopping() {
            return false;
        }
    }
}
