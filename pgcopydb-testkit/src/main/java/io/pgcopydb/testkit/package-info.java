/**
 * Throwaway PostgreSQL servers for tests, demos and benchmarks.
 *
 * <p>{@link io.pgcopydb.testkit.ServerProviders#fromEnvironment()} picks where servers come from, in this
 * order: an external pair named by {@code PGCOPYDB_TEST_SOURCE_URI} / {@code PGCOPYDB_TEST_TARGET_URI};
 * Testcontainers when a Docker engine answers; otherwise local binaries started with {@code initdb} and
 * {@code pg_ctl} ({@link io.pgcopydb.testkit.LocalPostgres}). Servers this package starts are always torn
 * down: by {@link io.pgcopydb.testkit.PostgresServer#close()}, at the end of a JUnit run, or by a JVM
 * shutdown hook. {@link io.pgcopydb.testkit.PostgresPairExtension} gives a JUnit 5 test class a source and a
 * target server and a fresh database on each per test.
 *
 * <p>This module has no dependency on pgcopydb-core: it only knows PostgreSQL.
 */
package io.pgcopydb.testkit;
