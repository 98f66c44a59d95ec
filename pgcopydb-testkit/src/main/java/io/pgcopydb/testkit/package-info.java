/**
 * Throwaway PostgreSQL servers for tests, demos and benchmarks, with sample data, fault injection and JUnit 5
 * support. This package holds no classes: each concern has its own sub-package.
 * <ul>
 *   <li>{@link io.pgcopydb.testkit.server}: where servers come from, the servers and databases themselves, and
 *       the small helpers the other packages share ({@code Sql}, {@code Urls}, {@code Commands},
 *       {@code TempDirectories}, {@code TestkitException});</li>
 *   <li>{@link io.pgcopydb.testkit.sample}: the generated {@code SampleDatabase} and the real datasets kept
 *       beside the repository ({@code Datasets});</li>
 *   <li>{@link io.pgcopydb.testkit.fault}: a TCP proxy that breaks connections and fake client tools;</li>
 *   <li>{@link io.pgcopydb.testkit.junit}: {@code PostgresPairExtension}, a source and a target database per
 *       test.</li>
 * </ul>
 * {@code server} depends on no other testkit package, and every other package builds on {@code server} alone,
 * so the packages form no cycle.
 *
 * <p>This module has no dependency on pgcopydb-core: it only knows PostgreSQL. Proof that a copy equals its
 * source is the library's own ({@code io.pgcopydb.compare.DatabaseCompare}), which the tests use: one
 * implementation, not a second one here.
 */
package io.pgcopydb.testkit;
