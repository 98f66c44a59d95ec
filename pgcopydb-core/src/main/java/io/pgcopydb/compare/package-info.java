/**
 * Proof that a copy is complete: {@link io.pgcopydb.compare.DatabaseCompare} compares two live databases — the
 * schema from their catalogs, the data by row count and an order-independent checksum computed on each server —
 * and returns a {@link io.pgcopydb.compare.CompareReport} whose {@link io.pgcopydb.compare.Difference}s are values
 * a tool can act on. {@code CopyBuilder.verify()} runs the same comparison after a copy.
 *
 * <p>Reads only; depends on {@link io.pgcopydb.connection}, {@link io.pgcopydb.filter} and
 * {@link io.pgcopydb.model}. Values here are immutable.
 */
package io.pgcopydb.compare;
