/**
 * JUnit 5 glue for the fixture pool of {@code io.pgcopydb.fixture}: {@link io.pgcopydb.junit.FreshDatabaseExtension}
 * gives each test (or each test class) its own fresh database as a parameter. A module of its own so that JUnit
 * never becomes a runtime dependency of the library, and the testkit (which must not depend on the library) stays
 * out of it.
 */
package io.pgcopydb.junit;
