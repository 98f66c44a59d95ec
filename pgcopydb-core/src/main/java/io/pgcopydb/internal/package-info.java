/**
 * The engine and the standard stages. <b>Not API</b>: anything here may change in any release.
 *
 * <p>Public packages reach this package through one wiring point only, {@link io.pgcopydb.internal.Wiring};
 * an architecture test enforces it.
 */
package io.pgcopydb.internal;
