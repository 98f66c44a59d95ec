/**
 * Sample data to copy: {@link io.pgcopydb.testkit.sample.SampleDatabase}, a deterministic, generated shop
 * database (its SQL, its rows in COPY text format and the word lists they are drawn from stay package-private),
 * and {@link io.pgcopydb.testkit.sample.Datasets}, the real pagila and chinook databases kept in
 * {@code shared/datasets/} beside the repository.
 *
 * <p>Builds on {@link io.pgcopydb.testkit.server} alone: a {@code SampleDatabase} is a
 * {@link io.pgcopydb.testkit.server.DatabaseContent}, so {@code TestDatabase.load} takes it without the server
 * package knowing this one.
 */
package io.pgcopydb.testkit.sample;
