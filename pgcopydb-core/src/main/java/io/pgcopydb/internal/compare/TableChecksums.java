package io.pgcopydb.internal.compare;

import io.pgcopydb.internal.compare.DataCatalog.Relation;
import io.pgcopydb.internal.run.Futures;
import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main pass over the rows: the {@link Checksum} of every relation on each side that has it, computed on the
 * sides' pools, largest first so the comparison ends sooner. A relation larger than the split size with the same
 * integer key on both sides is cut into parts by key ranges ({@link TableRanges#parts}) that both sides read at
 * once, several workers per table; the parts' figures add up to the table's. A relation without such a key is
 * read whole.
 *
 * <p>{@link #start} submits everything and returns; {@link #join} waits for the figures, so the caller can do
 * other work (the large objects) meanwhile.
 */
final class TableChecksums {
    /** At most this many parts per table, however large: beyond, parts only add queries. */
    static final int MAX_PARTS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(TableChecksums.class);

    private final List<Pending> pending;

    /**
     * A relation compared by its rows, with what each side has of it.
     *
     * @param name its name
     * @param source the source's relation, if the source has it
     * @param target the target's relation, if the target has it
     */
    record TablePair(QualifiedName name, Optional<Relation> source, Optional<Relation> target) {
        /** Checks that a side has it. */
        TablePair {
            Objects.requireNonNull(name, "name");
            if (source.isEmpty() && target.isEmpty()) {
                throw new IllegalArgumentException(name + " is on neither side");
            }
        }

        /** The integer key both sides have, when they have the same one. */
        Optional<String> key() {
            return source.flatMap(Relation::key).filter(k -> target.flatMap(Relation::key).equals(Optional.of(k)));
        }

        /** The larger side's size. */
        long bytes() {
            return Math.max(source.map(Relation::bytes).orElse(0L), target.map(Relation::bytes).orElse(0L));
        }
    }

    /**
     * A relation's figures on each side.
     *
     * @param pair the relation
     * @param source the source's figures; empty when the source does not have it
     * @param target the target's figures; empty when the target does not have it
     * @param parts how many parts it was read in on each side (1: whole)
     * @param duration the time its queries took, those of both sides added up (the sides work at once, each at
     *     its own pace: a span from the first start to the last end would count the time spent queued)
     */
    record TableFigures(TablePair pair, Optional<Checksum> source, Optional<Checksum> target, int parts,
            Duration duration) {
        /** Whether both sides have it with the same figures. */
        boolean identical() {
            return source.isPresent() && source.equals(target);
        }
    }

    /**
     * The smallest and largest key values of a relation.
     *
     * @param min the smallest
     * @param max the largest
     */
    record KeyBounds(long min, long max) {
        /** The bounds covering both. */
        KeyBounds union(KeyBounds other) {
            return new KeyBounds(Math.min(min, other.min), Math.max(max, other.max));
        }
    }

    /** One side's figures of one part, with when the query ran. */
    private record Timed(Checksum checksum, long startNanos, long endNanos) {
    }

    /** What was submitted for one relation: per side, a future per part. */
    private record Pending(TablePair pair, List<CompletableFuture<Timed>> source,
            List<CompletableFuture<Timed>> target) {
    }

    private TableChecksums(List<Pending> pending) {
        this.pending = pending;
    }

    /**
     * Submits the figures of every relation of {@code pairs} to the sides' pools, cutting those larger than
     * {@code splitBytes} into parts of about that size when they have a key (after reading their key bounds).
     */
    static TableChecksums start(DataSide source, DataSide target, List<TablePair> pairs, long splitBytes) {
        List<TablePair> largestFirst = pairs.stream()
                .sorted(Comparator.comparingLong(TablePair::bytes).reversed().thenComparing(TablePair::name)).toList();
        Map<TablePair, List<Optional<String>>> parts = new LinkedHashMap<>();
        for (TablePair p : largestFirst) {
            parts.put(p, p.bytes() > splitBytes && p.key().isPresent() ? cut(source, target, p, splitBytes)
                    : List.of(Optional.empty()));
        }
        List<Pending> pending = new ArrayList<>();
        // Submitted part by part in size order, the source's and the target's of a part one after the other, so
        // the two sides read the same part at the same time.
        parts.forEach((p, predicates) -> {
            List<CompletableFuture<Timed>> s = new ArrayList<>();
            List<CompletableFuture<Timed>> t = new ArrayList<>();
            for (Optional<String> predicate : predicates) {
                p.source().ifPresent(r -> s.add(source.submit("rows of " + p.name(), c -> timed(c, p.name(),
                        predicate))));
                p.target().ifPresent(r -> t.add(target.submit("rows of " + p.name(), c -> timed(c, p.name(),
                        predicate))));
            }
            pending.add(new Pending(p, s, t));
        });
        return new TableChecksums(pending);
    }

    /**
     * The parts of {@code p} by its key, about {@code splitBytes} each; one part without a predicate when it has too
     * few key values. The key bounds are read on the snapshot holders (an index lookup each).
     */
    private static List<Optional<String>> cut(DataSide source, DataSide target, TablePair p, long splitBytes) {
        String key = p.key().orElseThrow();
        Optional<KeyBounds> bounds = bothBounds(source, target, p.name(), key);
        int wanted = (int) Math.min(MAX_PARTS, (p.bytes() + splitBytes - 1) / splitBytes);
        List<String> predicates = bounds.map(b -> TableRanges.parts(key, b.min(), b.max(), wanted)).orElse(List.of());
        LOG.debug("{} ({} bytes) is compared in {} parts by {}", p.name(), p.bytes(), Math.max(1, predicates.size()),
                key);
        return predicates.isEmpty() ? List.of(Optional.empty()) : predicates.stream().map(Optional::of).toList();
    }

    /** The key bounds covering both sides' rows (read on the snapshot holders); empty when neither has a row. */
    static Optional<KeyBounds> bothBounds(DataSide source, DataSide target, QualifiedName name, String key) {
        Optional<KeyBounds> s = source.onHolder(name + " key bounds", c -> bounds(c, name, key));
        Optional<KeyBounds> t = target.onHolder(name + " key bounds", c -> bounds(c, name, key));
        return s.isPresent() && t.isPresent() ? Optional.of(s.get().union(t.get())) : s.or(() -> t);
    }

    /** Waits for every figure; the relations in the order of the pairs given to {@link #start}, largest first. */
    List<TableFigures> join() {
        List<TableFigures> figures = new ArrayList<>();
        for (Pending p : pending) {
            long nanos = 0;
            List<Optional<Checksum>> sides = new ArrayList<>();
            for (List<CompletableFuture<Timed>> side : List.of(p.source(), p.target())) {
                Optional<Checksum> total = side.isEmpty() ? Optional.empty() : Optional.of(Checksum.NONE);
                for (CompletableFuture<Timed> f : side) {
                    Timed t = Futures.join(f, RuntimeException.class);
                    total = total.map(c -> c.plus(t.checksum()));
                    nanos += t.endNanos() - t.startNanos();
                }
                sides.add(total);
            }
            int parts = Math.max(p.source().size(), p.target().size());
            figures.add(new TableFigures(p.pair(), sides.get(0), sides.get(1), parts, Duration.ofNanos(nanos)));
        }
        return figures;
    }

    private static Timed timed(Connection c, QualifiedName name, Optional<String> predicate) throws SQLException {
        long start = System.nanoTime();
        Checksum checksum = Checksum.read(c, name, predicate);
        return new Timed(checksum, start, System.nanoTime());
    }

    /** The smallest and largest values of {@code key} in {@code relation}; empty when it has no rows. */
    static Optional<KeyBounds> bounds(Connection c, QualifiedName relation, String key) throws SQLException {
        String k = QualifiedName.quoteIdent(key);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT min(" + k + ")::int8, max("
                + k + ")::int8 FROM ONLY " + relation.quoted())) {
            rs.next();
            return rs.getObject(1) == null ? Optional.empty() : Optional.of(new KeyBounds(rs.getLong(1),
                    rs.getLong(2)));
        }
    }
}
