/**
 * The replaceable stages of a copy, and the values they exchange.
 *
 * <p>Each stage is a small interface with one main method and a standard implementation reached through a static
 * factory ({@code IndexBuilder.standard()}); a caller replaces or wraps a stage through the
 * {@link io.pgcopydb.DatabaseCopy} builder. Stages receive a read-only {@link io.pgcopydb.stage.StageContext},
 * never the builder. Stages are called concurrently from the engine's worker threads unless their Javadoc says
 * otherwise, so implementations must be thread-safe. A stage signals failure by throwing; the engine records
 * the failure once, on the object being processed.
 *
 * <p>The values here ({@link io.pgcopydb.model.SourceTable}, {@link io.pgcopydb.model.TablePart},
 * {@link io.pgcopydb.model.IndexDefinition}, …) are immutable records.
 */
package io.pgcopydb.stage;
