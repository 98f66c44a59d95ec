/**
 * Step 1, before any write: both servers reachable, versions, client tools, the privileges the options need, an
 * empty target. Every problem is reported at once, each with its remedy. <b>Not API.</b>
 */
package io.pgcopydb.internal.preflight;
