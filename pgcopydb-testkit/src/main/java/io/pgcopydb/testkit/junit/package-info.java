/**
 * JUnit 5 support: {@link io.pgcopydb.testkit.junit.PostgresPairExtension} gives a test class a source and a
 * target server and a fresh database on each per test, as a {@link io.pgcopydb.testkit.junit.DatabasePair}. The
 * two servers come from {@code ServerProviders.fromEnvironment()}, are started once per test run and are
 * stopped when the run ends. {@link io.pgcopydb.testkit.junit.PostgresPair @PostgresPair(source, target)} asks for
 * servers of given major versions instead. JUnit's API is an optional dependency of the testkit: callers bring their own
 * version.
 *
 * <p>Builds on {@link io.pgcopydb.testkit.server} alone.
 */
package io.pgcopydb.testkit.junit;
