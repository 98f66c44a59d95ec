package io.pgcopydb.testkit.junit;

import io.pgcopydb.testkit.server.TestDatabase;

/**
 * A fresh source database and a fresh, empty target database on two separate servers, as handed to a test by
 * {@link PostgresPairExtension}.
 *
 * @param source the database to copy from
 * @param target the database to copy into
 */
public record DatabasePair(TestDatabase source, TestDatabase target) {
}
