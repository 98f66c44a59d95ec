/**
 * Benchmarks: how fast a copy is, measured against {@code pg_dump | pg_restore} and pgcopydb on the same
 * throwaway servers. Speed is measured here, never in unit tests.
 */
package io.pgcopydb.examples.bench;
