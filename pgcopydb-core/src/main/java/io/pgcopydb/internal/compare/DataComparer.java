package io.pgcopydb.internal.compare;

import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.Difference.Area;
import io.pgcopydb.compare.TableComparison;
import io.pgcopydb.internal.compare.DataCatalog.Relation;
import io.pgcopydb.internal.compare.DataCatalog.SequenceState;
import io.pgcopydb.internal.compare.RowNarrowing.DifferingRange;
import io.pgcopydb.internal.compare.TableChecksums.TableFigures;
import io.pgcopydb.internal.compare.TableChecksums.TablePair;
import io.pgcopydb.internal.run.RunThreads;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.Side;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the data of two databases: per table and populated materialized view a row count and an
 * order-independent {@link Checksum} computed by each server in constant memory; the values of the sequences; the
 * large objects ({@link LargeObjectComparer}).
 *
 * <p><b>One instant per side</b>: each side exports a snapshot that {@code jobs} workers import ({@link DataSide}),
 * so every table of a side is read as it was at one moment, even while it is written to. Sequences are not
 * transactional: they are read as they are when the comparison starts — unless the request brings the source's
 * values from a copy's own snapshot ({@link CompareRequest#sourceSequences()}), which {@code verify()} does; the
 * source side then imports the copy's snapshot too ({@link CompareRequest#sourceSnapshot()}).
 *
 * <p><b>In parallel</b>: both sides' figures are computed at once, {@code jobs} queries per side, largest table
 * first; a table larger than {@link #SPLIT_BYTES} with an integer key is read in parts by key ranges
 * ({@link TableChecksums}). The large objects stream through one worker per side meanwhile.
 *
 * <p><b>Narrowing</b>: a differing table with an integer key on both sides is narrowed to the key ranges that
 * differ ({@link RowNarrowing}); each becomes a difference ({@code rows of public.film} / {@code rows in id >= 1000
 * AND id < 1100}). Without a key, the table is one difference ({@code rows}), its counts and checksums.
 */
public final class DataComparer {
    /**
     * Tables larger than this (on disk, TOAST included, the larger side's) are compared in parts of about this
     * size by ranges of their integer key, several workers per table: 64 MB, a few seconds of one core's reading.
     */
    public static final long SPLIT_BYTES = 64L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(DataComparer.class);
    private static final AtomicInteger COMPARISONS = new AtomicInteger();

    private DataComparer() {
    }

    /**
     * What the data comparison found.
     *
     * @param differences every data difference, in a stable order
     * @param tables each table's comparison, ordered by name
     * @param rowsCompared rows compared: per table the larger side's count, added up (the source's rows when
     *     identical)
     */
    public record Result(List<Difference> differences, List<TableComparison> tables, long rowsCompared) {
        /** Copies the lists. */
        public Result {
            differences = List.copyOf(differences);
            tables = List.copyOf(tables);
        }
    }

    /**
     * Compares the data the request names, within {@code scope}: the rows of every table and materialized view
     * whose data is included, the sequences and large objects. Differences come relation by relation in name
     * order (population, then rows, by key range), then the sequences by name, then the large objects by OID.
     *
     * @throws io.pgcopydb.PgCopyException when a server cannot be reached ({@code CONNECTION} codes) or a query
     *     fails (naming the object and the side)
     */
    public static Result compare(CompareRequest request, CompareScope scope) {
        return compare(request, scope, SPLIT_BYTES);
    }

    /** As {@link #compare(CompareRequest, CompareScope)}, with tables split above {@code splitBytes}. */
    static Result compare(CompareRequest request, CompareScope scope, long splitBytes) {
        long start = System.nanoTime();
        try (RunThreads threads = new RunThreads("compare-" + COMPARISONS.incrementAndGet());
             DataSide source = DataSide.open(Side.SOURCE, request.source(), request.sourceSnapshot(), request.jobs(),
                     threads);
             DataSide target = DataSide.open(Side.TARGET, request.target(), Optional.empty(), request.jobs(),
                     threads)) {
            SqlNames names = source.onHolder("the keywords", SqlNames::read);
            Map<QualifiedName, Relation> sourceRelations = source.onHolder("the catalog", DataCatalog::relations);
            Map<QualifiedName, Relation> targetRelations = target.onHolder("the catalog", DataCatalog::relations);
            Map<QualifiedName, SequenceState> sourceSequences = source.onHolder("sequences", DataCatalog::sequences);
            // A copy's own reading of the source sequences, in its snapshot, is what the target was given.
            request.sourceSequences().ifPresent(values -> values.forEach(v -> sourceSequences.put(v.name(),
                    new SequenceState(v.lastValue(), v.isCalled()))));
            Map<QualifiedName, SequenceState> targetSequences = target.onHolder("sequences", DataCatalog::sequences);
            boolean largeObjects = source.onHolder("large objects", DataCatalog::hasLargeObjects)
                    || target.onHolder("large objects", DataCatalog::hasLargeObjects);

            Map<QualifiedName, List<Difference>> byRelation = new TreeMap<>();
            List<TablePair> pairs = pairs(sourceRelations, targetRelations, scope, names, byRelation);
            // The large objects first: one worker per side streams them while the others take the tables.
            Optional<LargeObjectComparer.Pending> objects = largeObjects
                    ? Optional.of(LargeObjectComparer.start(source, target)) : Optional.empty();
            TableChecksums checksums = TableChecksums.start(source, target, pairs, splitBytes);
            List<Difference> objectDifferences = objects.map(LargeObjectComparer.Pending::differences)
                    .orElse(List.of());

            List<TableComparison> tables = new ArrayList<>();
            long rows = 0;
            for (TableFigures f : checksums.join().stream()
                    .sorted(Comparator.comparing((TableFigures f) -> f.pair().name())).toList()) {
                TableComparison t = rows(source, target, f, names, byRelation.computeIfAbsent(f.pair().name(),
                        n -> new ArrayList<>()));
                tables.add(t);
                rows += Math.max(t.sourceRows(), t.targetRows());
            }
            List<Difference> differences = new ArrayList<>();
            byRelation.values().forEach(differences::addAll);
            differences.addAll(sequences(sourceSequences, targetSequences, scope, names));
            differences.addAll(objectDifferences);
            LOG.info("Compared the data of {} tables and materialized views ({} rows), {} sequences and the large "
                    + "objects in {} ms: {} differences", tables.size(), rows, sourceSequences.size(),
                    (System.nanoTime() - start) / 1_000_000, differences.size());
            return new Result(differences, tables, rows);
        }
    }

    /**
     * The relations whose rows are compared: those whose data the scope includes, readable on the side or sides
     * having them (an unpopulated materialized view has no rows to read). A materialized view populated on one
     * side only is a difference of its own, put in {@code byRelation}.
     */
    private static List<TablePair> pairs(Map<QualifiedName, Relation> source, Map<QualifiedName, Relation> target,
            CompareScope scope, SqlNames sql, Map<QualifiedName, List<Difference>> byRelation) {
        TreeSet<QualifiedName> names = new TreeSet<>(source.keySet());
        names.addAll(target.keySet());
        List<TablePair> pairs = new ArrayList<>();
        for (QualifiedName name : names) {
            // A materialized view whose data is excluded is not refreshed by a copy: its population is not
            // compared either.
            if (!scope.dataIncluded(name.schema(), name.name())) {
                continue;
            }
            Optional<Relation> s = Optional.ofNullable(source.get(name));
            Optional<Relation> t = Optional.ofNullable(target.get(name));
            if (s.isPresent() && t.isPresent() && s.get().populated() != t.get().populated()) {
                byRelation.computeIfAbsent(name, n -> new ArrayList<>()).add(Difference.changed(Area.DATA,
                        "materialized view " + sql.of(name), "populated", Boolean.toString(s.get().populated()),
                        Boolean.toString(t.get().populated())));
                continue;
            }
            s = s.filter(Relation::populated);
            t = t.filter(Relation::populated);
            if (s.isPresent() || t.isPresent()) {
                pairs.add(new TablePair(name, s, t));
            }
        }
        return pairs;
    }

    /** The comparison of one relation's rows, its differences added to {@code out}; narrowed when it differs. */
    private static TableComparison rows(DataSide source, DataSide target, TableFigures f, SqlNames names,
            List<Difference> out) {
        QualifiedName name = f.pair().name();
        String object = "rows of " + names.of(name);
        long sourceRows = f.source().map(Checksum::rows).orElse(0L);
        long targetRows = f.target().map(Checksum::rows).orElse(0L);
        if (f.identical()) {
            return new TableComparison(name, sourceRows, targetRows, true, List.of(), f.duration());
        }
        if (f.target().isEmpty()) {
            out.add(Difference.missingOnTarget(Area.DATA, object, f.source().orElseThrow().toString()));
            return new TableComparison(name, sourceRows, 0, false, List.of(), f.duration());
        }
        if (f.source().isEmpty()) {
            out.add(Difference.extraOnTarget(Area.DATA, object, f.target().orElseThrow().toString()));
            return new TableComparison(name, 0, targetRows, false, List.of(), f.duration());
        }
        long start = System.nanoTime();
        List<DifferingRange> ranges = f.pair().key().map(k -> RowNarrowing.narrow(source, target, name, k,
                f.source().get(), f.target().get())).orElse(List.of());
        Duration duration = f.duration().plusNanos(System.nanoTime() - start);
        if (ranges.isEmpty()) {
            out.add(Difference.changed(Area.DATA, object, "rows", f.source().get().toString(),
                    f.target().get().toString()));
            return new TableComparison(name, sourceRows, targetRows, false, List.of(), duration);
        }
        String key = f.pair().key().orElseThrow();
        List<String> shown = new ArrayList<>();
        for (DifferingRange r : ranges) {
            String range = r.range().display(key);
            shown.add(range);
            out.add(Difference.changed(Area.DATA, object, "rows in " + range, r.source().toString(),
                    r.target().toString()));
        }
        return new TableComparison(name, sourceRows, targetRows, false, shown, duration);
    }

    /** The sequences in scope whose {@code last_value} or {@code is_called} differ, or that one side lacks. */
    private static List<Difference> sequences(Map<QualifiedName, SequenceState> source,
            Map<QualifiedName, SequenceState> target, CompareScope scope, SqlNames sql) {
        TreeSet<QualifiedName> names = new TreeSet<>(source.keySet());
        names.addAll(target.keySet());
        List<Difference> out = new ArrayList<>();
        for (QualifiedName name : names) {
            if (!scope.relationIncluded(name.schema(), name.name())) {
                continue;
            }
            String object = "sequence " + sql.of(name);
            SequenceState s = source.get(name);
            SequenceState t = target.get(name);
            if (t == null) {
                out.add(Difference.missingOnTarget(Area.DATA, object, describe(s)));
            } else if (s == null) {
                out.add(Difference.extraOnTarget(Area.DATA, object, describe(t)));
            } else {
                if (s.lastValue() != t.lastValue()) {
                    out.add(Difference.changed(Area.DATA, object, "last value", Long.toString(s.lastValue()),
                            Long.toString(t.lastValue())));
                }
                if (s.isCalled() != t.isCalled()) {
                    out.add(Difference.changed(Area.DATA, object, "is called", Boolean.toString(s.isCalled()),
                            Boolean.toString(t.isCalled())));
                }
            }
        }
        return out;
    }

    private static String describe(SequenceState s) {
        return "last value " + s.lastValue() + ", is called " + s.isCalled();
    }
}
