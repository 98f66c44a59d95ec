/**
 * Small programs showing how to embed the library. (The {@code pgcopydb demo} command lives with the command
 * line in the {@code pgcopydb-cli} module.)
 *
 * <ul>
 *   <li>{@link io.pgcopydb.examples.MigrationToolExample}: a migration tool copying one database into another
 *       with 8 jobs and per-table progress from a {@link io.pgcopydb.CopyListener}.</li>
 *   <li>{@link io.pgcopydb.examples.FixtureCloneExample}: a test suite cloning a fixture database into a fresh
 *       database per test.</li>
 * </ul>
 *
 * <p>Contract: these classes use only the library's public API ({@code io.pgcopydb}, {@code io.pgcopydb.stage})
 * and the testkit; nothing here is API itself, and nothing here uses the command line. Every server,
 * database and temporary directory an example creates is removed before it returns, whether it succeeded or
 * not; servers and databases it was given are never dropped.
 */
package io.pgcopydb.examples;
