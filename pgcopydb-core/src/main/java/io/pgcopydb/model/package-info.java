/**
 * The values that describe the source and the plan of a copy: qualified names, tables, parts of tables, indexes,
 * constraints, sequences, the catalog read in the run's snapshot and the ordered copy plan.
 *
 * <p>The stages ({@link io.pgcopydb.stage}), the listener and the report ({@link io.pgcopydb}) all speak in these
 * values; this package depends on no other package of the library. Every value is an immutable record.
 */
package io.pgcopydb.model;
