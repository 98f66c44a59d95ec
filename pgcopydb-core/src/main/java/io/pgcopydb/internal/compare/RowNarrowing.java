package io.pgcopydb.internal.compare;

import io.pgcopydb.internal.compare.TableChecksums.KeyBounds;
import io.pgcopydb.internal.compare.TableRanges.KeyRange;
import io.pgcopydb.internal.run.Futures;
import io.pgcopydb.model.QualifiedName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the rows of a differing table differ, by its integer key: starting from the range of every key value on
 * either side, each differing range is cut in about ten ({@link KeyRange#split}), the {@link Checksum} of every
 * piece computed on both sides (in their snapshots, on their pools, all pieces of a level at once), and the
 * differing pieces cut again, until they hold at most {@value #NARROW_KEYS} key values. Figures are additive, so a
 * differing range always has a differing piece, and each level rereads at most the rows of the ranges still
 * differing (an index range scan each).
 *
 * <p>When a level would yield more than {@value #MAX_RANGES} differing ranges (the table differs nearly
 * everywhere), narrowing stops at the level before: a handful of wide ranges says more than thousands of narrow
 * ones, and costs one pass instead of many.
 */
final class RowNarrowing {
    /** A range holding at most this many key values is not cut further. */
    static final long NARROW_KEYS = 1000;
    /** At most this many differing ranges are reported per table. */
    static final int MAX_RANGES = 100;

    private RowNarrowing() {
    }

    /**
     * A key range whose rows differ.
     *
     * @param range the key values
     * @param source the figures of the source's rows in it
     * @param target the figures of the target's rows in it
     */
    record DifferingRange(KeyRange range, Checksum source, Checksum target) {
    }

    /** A piece being measured on both sides. */
    private record Piece(KeyRange range, CompletableFuture<Checksum> source, CompletableFuture<Checksum> target) {
    }

    /**
     * The ranges of {@code key} where {@code table}'s rows differ, narrowest first level that stays within
     * {@value #MAX_RANGES}, in key order; {@code sourceTotal} and {@code targetTotal} are the whole table's figures.
     * Empty when neither side has a row (nothing to narrow).
     */
    static List<DifferingRange> narrow(DataSide source, DataSide target, QualifiedName table, String key,
            Checksum sourceTotal, Checksum targetTotal) {
        Optional<KeyBounds> bounds = TableChecksums.bothBounds(source, target, table, key);
        if (bounds.isEmpty()) {
            return List.of();
        }
        List<DifferingRange> current = List.of(new DifferingRange(KeyRange.covering(bounds.get().min(),
                bounds.get().max()), sourceTotal, targetTotal));
        while (current.stream().anyMatch(RowNarrowing::cuttable)) {
            List<DifferingRange> next = new ArrayList<>();
            List<Piece> pieces = new ArrayList<>();
            for (DifferingRange r : current) {
                if (!cuttable(r)) {
                    next.add(r);
                    continue;
                }
                for (KeyRange piece : r.range().split()) {
                    Optional<String> predicate = Optional.of(piece.sql(key));
                    String what = "rows of " + table + " in " + piece.display(key);
                    pieces.add(new Piece(piece, source.submit(what, c -> Checksum.read(c, table, predicate)),
                            target.submit(what, c -> Checksum.read(c, table, predicate))));
                }
            }
            for (Piece p : pieces) {
                Checksum s = Futures.join(p.source(), RuntimeException.class);
                Checksum t = Futures.join(p.target(), RuntimeException.class);
                if (!s.equals(t)) {
                    next.add(new DifferingRange(p.range(), s, t));
                }
            }
            if (next.size() > MAX_RANGES) {
                break;
            }
            next.sort(Comparator.comparing(r -> r.range().from()));
            current = next;
        }
        return current;
    }

    private static boolean cuttable(DifferingRange r) {
        return r.range().width().compareTo(java.math.BigInteger.valueOf(NARROW_KEYS)) > 0;
    }
}
