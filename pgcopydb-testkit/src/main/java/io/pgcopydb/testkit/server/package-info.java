/**
 * Throwaway PostgreSQL servers and the databases on them.
 *
 * <p>{@link io.pgcopydb.testkit.server.ServerProviders#fromEnvironment()} picks where servers come from, in
 * this order: an external pair named by {@code PGCOPYDB_TEST_SOURCE_URI} / {@code PGCOPYDB_TEST_TARGET_URI};
 * Testcontainers when a Docker engine answers; otherwise local binaries started with {@code initdb} and
 * {@code pg_ctl} ({@link io.pgcopydb.testkit.server.LocalPostgres}). Servers this package starts are always torn
 * down: by {@link io.pgcopydb.testkit.server.PostgresServer#close()}, at the end of a JUnit run, or by a JVM
 * shutdown hook. {@link io.pgcopydb.testkit.server.TestDatabase} is one database on a server; it loads SQL
 * scripts through psql and any {@link io.pgcopydb.testkit.server.DatabaseContent}, such as the generated sample.
 *
 * <p>The package also holds the small helpers every other testkit package uses: SQL quoting
 * ({@link io.pgcopydb.testkit.server.Sql}), URI encoding ({@link io.pgcopydb.testkit.server.Urls}), running
 * client tools ({@link io.pgcopydb.testkit.server.Commands}), temporary directories
 * ({@link io.pgcopydb.testkit.server.TempDirectories}) and {@link io.pgcopydb.testkit.server.TestkitException}.
 * It depends on no other testkit package.
 */
package io.pgcopydb.testkit.server;
