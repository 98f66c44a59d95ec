package io.pgcopydb.internal.compare;

import io.pgcopydb.model.QualifiedName;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What is compared of a set of rows (a table, a part of one, a key range): how many rows there are and two sums of
 * 64-bit hashes of their text, computed by the server.
 *
 * <pre>{@code
 * SELECT count(*), coalesce(sum(hashtextextended(x, 0)), 0), coalesce(sum(hashtextextended(x, 1)), 0)
 * FROM (SELECT CAST(r.* AS text) AS x FROM ONLY <table> r [WHERE <key range>] OFFSET 0) s
 * }</pre>
 *
 * <ul>
 *   <li><b>Constant memory</b>: one aggregate (a count and two sums) over a scan; no sort, no {@code string_agg},
 *       nothing buffered on the server or in the JVM. {@code OFFSET 0} keeps the subquery from being flattened, so
 *       each row is turned into text once, not once per hash.</li>
 *   <li><b>Order-independent</b>: addition is commutative, so rows stored in another order (a {@code CLUSTER}, a
 *       delete and re-insert, another COPY order) give the same figures.</li>
 *   <li><b>Multisets, not sets</b>: {@code sum(bigint)} is an exact {@code numeric}, so a duplicated row adds its
 *       hash a second time; with XOR a pair of equal rows would cancel out.</li>
 *   <li><b>Additive</b>: the figures of disjoint parts add up to those of the whole ({@link #plus}), so parts of a
 *       large table are computed in parallel and summed, and key ranges are narrowed without rereading the whole
 *       table.</li>
 * </ul>
 *
 * <p>A row is compared by its text ({@code record_out}), which depends on session settings: both sides read with
 * the same pinned settings ({@link io.pgcopydb.internal.postgres.Sessions#openSource}), so identical multisets of
 * rows always give equal figures. Values whose text is equal are equal here (that is what COPY carries);
 * {@code 1.0} and {@code 1.00} differ, as they do after a copy. The two databases must have the same server
 * encoding for non-ASCII text to hash alike.
 *
 * <p><b>Residual risk.</b> Two different multisets with the same count get equal figures only if, for both seeds,
 * the sum over rows of (multiplicity difference × hash) is zero. Pick a row whose multiplicity differs: whatever
 * the other hashes are, its hash would have to be one exact value, so if {@code hashtextextended} (Jenkins'
 * lookup3, seeded) behaved as a random function the chance is at most 2<sup>-64</sup> per seed, about
 * 2<sup>-128</sup> for the pair; as the seeds are not proven independent, count on 2<sup>-64</sup> per compared
 * table or range. The hash is not cryptographic: rows crafted on purpose can collide, so this proves a copy
 * complete against faults, not against an adversary writing to one side.
 *
 * @param rows the number of rows
 * @param sum0 the sum of {@code hashtextextended(row, 0)} over the rows
 * @param sum1 the sum of {@code hashtextextended(row, 1)} over the rows
 */
record Checksum(long rows, BigInteger sum0, BigInteger sum1) {
    /** No rows. */
    static final Checksum NONE = new Checksum(0, BigInteger.ZERO, BigInteger.ZERO);

    /** Checks for nulls. */
    Checksum {
        Objects.requireNonNull(sum0, "sum0");
        Objects.requireNonNull(sum1, "sum1");
    }

    /** The figures of this set and {@code other} together (disjoint parts of one table). */
    Checksum plus(Checksum other) {
        return new Checksum(rows + other.rows, sum0.add(other.sum0), sum1.add(other.sum1));
    }

    /** The query computing the figures of {@code relation}, of the rows matching {@code predicate} if given. */
    static String sql(QualifiedName relation, Optional<String> predicate) {
        return "SELECT count(*), coalesce(sum(pg_catalog.hashtextextended(s.x, 0)), 0),"
                + " coalesce(sum(pg_catalog.hashtextextended(s.x, 1)), 0)"
                + " FROM (SELECT CAST(r.* AS pg_catalog.text) AS x FROM ONLY " + relation.quoted() + " r"
                + predicate.map(p -> " WHERE " + p).orElse("") + " OFFSET 0) s";
    }

    /** Computes the figures of {@code relation} (rows matching {@code predicate} if given) through {@code c}. */
    static Checksum read(Connection c, QualifiedName relation, Optional<String> predicate) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql(relation, predicate))) {
            rs.next();
            return new Checksum(rs.getLong(1), rs.getBigDecimal(2).toBigIntegerExact(),
                    rs.getBigDecimal(3).toBigIntegerExact());
        }
    }

    /**
     * Sixteen hex digits standing for both sums, for people: equal figures show equal digits; different ones
     * almost always show different digits (the comparison itself uses the exact sums).
     */
    String digest() {
        return String.format(Locale.ROOT, "%016x", sum0.longValue() ^ Long.rotateLeft(sum1.longValue(), 32));
    }

    /** {@code 1,234 rows, checksum 0123456789abcdef}: a {@code Difference}'s value. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d %s, checksum %s", rows, rows == 1 ? "row" : "rows", digest());
    }
}
