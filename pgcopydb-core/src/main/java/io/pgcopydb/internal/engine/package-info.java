/**
 * The run as a table of contents: {@link io.pgcopydb.internal.engine.CopyEngine} runs the seed's numbered steps in
 * order, one method each, and settles the outcome (report, exception, work directory). <b>Not API.</b>
 *
 * <p>The top of the engine: it uses every other internal package and none uses it, except the wiring point.
 */
package io.pgcopydb.internal.engine;
