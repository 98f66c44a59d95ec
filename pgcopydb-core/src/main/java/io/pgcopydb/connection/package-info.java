/**
 * Where a database is: {@link io.pgcopydb.connection.ConnectionSpec}, parsed from a libpq URI
 * ({@code postgres://…}), a key=value conninfo string or a {@code jdbc:postgresql://} URL, with libpq's rules for
 * each, and turned into pgjdbc properties and the environment of PostgreSQL's client tools.
 *
 * <p>Depends on no other package of the library. A {@code ConnectionSpec} never shows its password: not in
 * {@code toString()}, messages or exceptions.
 */
package io.pgcopydb.connection;
