/**
 * Steps 5 to 7, the data: the plan, COPY streams, index builds, constraints attached {@code USING INDEX},
 * {@code VACUUM ANALYZE} — scheduled per table by dependency in {@link io.pgcopydb.internal.data.DataPhase} — then
 * sequences and large objects. <b>Not API.</b>
 */
package io.pgcopydb.internal.data;
