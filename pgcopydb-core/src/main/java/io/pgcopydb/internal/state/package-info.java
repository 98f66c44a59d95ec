/**
 * What outlives a run: its work directory (locked while the run lives) and the crash-safe journal of finished
 * units that {@code resume()} reads. <b>Not API.</b>
 */
package io.pgcopydb.internal.state;
