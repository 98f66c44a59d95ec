/**
 * Fault injection, for tests of what a program does when its surroundings misbehave:
 * {@link io.pgcopydb.testkit.fault.TcpProxy} drops or refuses connections to a server as a broken network
 * would, and {@link io.pgcopydb.testkit.fault.FakeClientTools} writes shell scripts standing in for
 * {@code pg_config}, {@code pg_dump} and {@code pg_restore}.
 *
 * <p>Builds on {@link io.pgcopydb.testkit.server} alone.
 */
package io.pgcopydb.testkit.fault;
