/**
 * Benchmarks of the comparison ({@code CompareBenchmark}) and of large objects ({@code LargeObjectBenchmark}) on
 * throwaway servers. The copy itself is benchmarked by the command line's {@code pgcopydb bench}, against
 * {@code pg_dump}/{@code pg_restore} and pgcopydb. Speed is measured here, never in unit tests.
 */
package io.pgcopydb.examples.bench;
