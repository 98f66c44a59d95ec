package io.pgcopydb.internal.data;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.Phase;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.stage.PostDataFilter;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Foreign keys added in the data step, each as soon as the tables at both its ends are complete (rows, indexes,
 * constraints, ANALYZE), instead of all of them in the post-data restore at the end. Adding one validates it, a scan
 * of the referencing table: in the post-data restore that scan is the copy's tail, one core busy and the other idle
 * (0.47 s for the benchmark's 5 million accounts); here it runs while the other tables are still being built.
 *
 * <p>Only where that is sure to be the same as the post-data restore's, else the key stays there:
 * <ul>
 *   <li>a fresh run of every step (a resumed run, or steps run alone, leave them to post-data, which replaces what
 *       an interrupted run added), without filters (they may turn a key into {@code NOT VALID} statements), with
 *       the standard post-data filter (which leaves out what this class added);</li>
 *   <li>a validated key between two plain tables, both copied by this run: partitioned tables and partitions are
 *       left out (the key's locks reach every partition);</li>
 *   <li>whose referenced key's index this run built: {@code ADD FOREIGN KEY} needs it.</li>
 * </ul>
 * The keys are added one at a time, in one lane: {@code ADD FOREIGN KEY} takes a SHARE ROW EXCLUSIVE lock on both
 * tables, and two keys in opposite directions taken at once could deadlock. No other work of the data step touches a
 * complete table. The key's comment, if any, stays in post-data, which restores it on the key.
 */
final class EarlyForeignKeys {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyForeignKeys.class);
    private static final String SQL = """
            SELECT c.oid, c.conrelid, c.confrelid, c.conindid, c.conname, pg_catalog.pg_get_constraintdef(c.oid)
              FROM pg_catalog.pg_constraint c
              JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
              JOIN pg_catalog.pg_class f ON f.oid = c.confrelid
             WHERE c.contype = 'f' AND c.convalidated AND c.conparentid = 0
               AND r.relkind = 'r' AND NOT r.relispartition AND f.relkind = 'r' AND NOT f.relispartition
               AND c.conrelid = ANY (?) AND c.confrelid = ANY (?)
             ORDER BY c.conrelid, c.conname""";

    /**
     * A foreign key of the source.
     *
     * @param oid its constraint's OID
     * @param table the referencing table's OID
     * @param referenced the referenced table's OID
     * @param index the OID of the referenced key's index
     * @param name its name
     * @param definition {@code pg_get_constraintdef()}, names schema-qualified
     */
    record ForeignKey(long oid, long table, long referenced, long index, String name, String definition) {
    }

    private EarlyForeignKeys() {
    }

    /** Whether a run with {@code options} adds foreign keys in its data step. */
    static boolean apply(CopyOptions options) {
        return !options.resume() && options.steps().isEmpty() && options.filters().isEmpty()
                && options.postDataFilter().getClass() == PostDataFilter.standard().getClass();
    }

    /**
     * The source's foreign keys between two of {@code tables} that this class may add; none when it cannot read
     * them (the post-data restore adds them, as it always did).
     */
    static List<ForeignKey> read(RunContext context, Collection<SourceTable> tables) {
        if (tables.isEmpty() || !apply(context.options())) {
            return List.of();
        }
        Long[] oids = tables.stream().map(SourceTable::oid).toArray(Long[]::new);
        try (Connection source = context.openSource()) {
            if (source.getMetaData().getDatabaseMajorVersion() < 11) {
                return List.of();   // no conparentid: the post-data restore adds them
            }
            try (Statement s = source.createStatement()) {
                // Names in the definitions schema-qualified, as pg_dump writes them.
                s.execute("SET search_path = pg_catalog");
            }
            List<ForeignKey> keys = new ArrayList<>();
            try (PreparedStatement ps = source.prepareStatement(SQL)) {
                Array array = source.createArrayOf("oid", oids);
                ps.setArray(1, array);
                ps.setArray(2, array);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new ForeignKey(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                rs.getString(5), rs.getString(6)));
                    }
                }
            }
            return keys;
        } catch (SQLException e) {
            LOG.debug("Foreign keys left to the post-data restore: {}", Errors.message(e));
            return List.of();
        }
    }

    /**
     * Schedules each of {@code keys} on {@code lane} once the chains of its two tables ({@code chains}, by table
     * OID: true when the table is complete) are done; a key is added only when both are complete and its referenced
     * key's index is among {@code builtIndexes}, and is then put in {@code builtConstraints}, so that the post-data
     * restore leaves it out.
     *
     * @param failed told the key and the failure of a key that could not be added
     * @return one future per key
     */
    static List<CompletableFuture<?>> schedule(RunContext context, List<ForeignKey> keys,
            Collection<SourceTable> tables, Function<Long, CompletableFuture<Boolean>> chains, Executor lane,
            Set<Long> builtIndexes, Set<Long> builtConstraints, BiConsumer<String, Throwable> failed) {
        Map<Long, QualifiedName> names = tables.stream().collect(Collectors.toMap(SourceTable::oid,
                SourceTable::name));
        List<CompletableFuture<?>> out = new ArrayList<>();
        for (ForeignKey key : keys) {
            CompletableFuture<Boolean> a = chains.apply(key.table());
            CompletableFuture<Boolean> b = chains.apply(key.referenced());
            out.add(a.thenCombine(b, Boolean::logicalAnd).thenAcceptAsync(complete -> {
                if (complete && !context.isStopping() && builtIndexes.contains(key.index())) {
                    add(context, key, names.get(key.table()), builtConstraints, failed);
                }
            }, lane));
        }
        if (!keys.isEmpty()) {
            LOG.debug("Foreign keys added as their tables complete: {}",
                    keys.stream().map(ForeignKey::name).collect(Collectors.joining(", ")));
        }
        return out;
    }

    private static void add(RunContext context, ForeignKey key, QualifiedName table, Set<Long> builtConstraints,
            BiConsumer<String, Throwable> failed) {
        String sql = "ALTER TABLE ONLY " + table.quoted() + " ADD CONSTRAINT " + QualifiedName.quoteIdent(key.name())
                + " " + key.definition();
        String what = "foreign key " + key.name() + " on " + table;
        long start = System.nanoTime();
        try {
            context.run().retrier().call(Phase.COPY_DATA, what, attempt -> {
                // A lost connection may have taken the commit's acknowledgement, not the commit.
                if (attempt == 1 || !TargetState.constraintExists(context, table, key.name())) {
                    TargetState.execute(context, List.of(sql));
                }
                return null;
            });
            builtConstraints.add(key.oid());
            LOG.info("{} added in the data step, in {} ms", what, (System.nanoTime() - start) / 1_000_000);
        } catch (Throwable e) {
            if (!context.isCancelled()) {
                failed.accept(what, e);
            }
        }
    }
}
