/**
 * Proof that a copied database equals its source: {@link io.pgcopydb.testkit.compare.DatabaseComparison} reads
 * both sides, read-only (a {@code pg_dump --schema-only}; row counts and hashes, sequences, materialized views,
 * schema owners and ACLs, large objects and database settings from the catalogs), and returns a
 * {@link io.pgcopydb.testkit.compare.ComparisonResult} listing every difference.
 *
 * <p>Builds on {@link io.pgcopydb.testkit.server} alone.
 */
package io.pgcopydb.testkit.compare;
