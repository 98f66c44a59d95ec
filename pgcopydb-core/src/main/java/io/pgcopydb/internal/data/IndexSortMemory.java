package io.pgcopydb.internal.data;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.SourceTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code maintenance_work_mem} of a B-tree build that runs without parallel workers, when the caller asked for
 * none: just enough for PostgreSQL's sort to merge its sorted runs in one pass, {@code sqrt(table bytes × 264 kB)}
 * (each run fills the memory; the merge reads a run through a 256 kB buffer and an 8 kB tape block), between 16 MB
 * and the 1 GB every other target session has. Sorting in runs that fit the processor's caches, then merging, is
 * faster than one sort of everything in memory — measured on the benchmark's source, one build at a time (C.UTF-8,
 * PostgreSQL 15, {@code CREATE INDEX} wall time, 2–3 runs each): the text index on 2 M rows 2.9–3.1 s with 16 MB,
 * 3.4–3.6 s with 64 MB, 4.1 s with 1 GB; {@code pgbench_accounts (abalance)} 2.3 s against 2.5–2.7 s; an
 * integer index on 2 M rows 0.86 s against 0.95–0.99 s; the primary key on already sorted ids 1.41–1.46 s against
 * 1.38–1.44 s. Other access methods keep 1 GB (GIN gathers its entries in that memory), and so does a build with
 * parallel workers (PostgreSQL gives each participant its share, and no worker under 32 MB).
 *
 * <p>The runs go to temporary files: a target with a {@code temp_file_limit} at all keeps 1 GB, so that no build
 * fails on a limit it would not have reached sorting in memory.
 */
final class IndexSortMemory {
    private static final Logger LOG = LoggerFactory.getLogger(IndexSortMemory.class);
    static final long MIN_KB = 16L << 10;
    static final long MAX_KB = 1L << 20;
    /** Memory the merge takes per run: a 32-block read buffer and one block of tape overhead. */
    static final long PER_RUN_KB = 264;

    private IndexSortMemory() {
    }

    /** The memory, in kB, of a serial B-tree build on a table of {@code tableBytes}. */
    static long kilobytes(long tableBytes) {
        double kb = Math.ceil(Math.sqrt(Math.max(0, tableBytes) / 1024.0 * PER_RUN_KB));
        return Math.max(MIN_KB, Math.min(MAX_KB, (long) kb));
    }

    /**
     * Whether a build on {@code table} may be sized at all: the table is 64 MB or more and the caller asked for no
     * {@code maintenance_work_mem}.
     */
    static boolean applies(CopyOptions options, SourceTable table) {
        return table.bytes() >= IndexCosts.SMALL_TABLE && options.maintenanceWorkMemAsked().isEmpty();
    }

    /** Whether {@code index} is built by sorting its tuples (a B-tree, as {@code pg_get_indexdef} writes it). */
    static boolean sorts(IndexDefinition index) {
        return index.definition().contains(" USING btree (");
    }

    /**
     * Whether a build may spill its runs, given the target's {@code temp_file_limit} in kB: only without a limit
     * ({@code -1}); not under any limit, nor when it is unknown.
     */
    static boolean maySpill(OptionalLong tempFileLimitKb) {
        return tempFileLimitKb.isPresent() && tempFileLimitKb.getAsLong() < 0;
    }

    /**
     * The target's {@code temp_file_limit}, read on {@code executor} when a build of {@code tables} may be sized (one
     * is big and no {@code maintenance_work_mem} was asked for); else, or when it cannot be read, empty.
     */
    static CompletableFuture<OptionalLong> tempFileLimit(RunContext context, List<SourceTable> tables,
            Executor executor) {
        if (tables.stream().noneMatch(t -> applies(context.options(), t))) {
            return CompletableFuture.completedFuture(OptionalLong.empty());
        }
        return CompletableFuture.supplyAsync(() -> tempFileLimit(context), executor)
                .exceptionally(e -> OptionalLong.empty());
    }

    /** The target's {@code temp_file_limit} in kB ({@code -1}: none), or empty when it cannot be read. */
    static OptionalLong tempFileLimit(RunContext context) {
        try (Connection target = context.openTarget(); Statement s = target.createStatement();
                ResultSet rs = s.executeQuery("SELECT setting::bigint FROM pg_catalog.pg_settings "
                        + "WHERE name = 'temp_file_limit'")) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        } catch (SQLException e) {
            LOG.debug("Index builds keep maintenance_work_mem: {}", Errors.message(e));
            return OptionalLong.empty();
        }
    }
}
