/**
 * Step 2, reading the source: the snapshot every reader shares, the catalog read inside it (tables, indexes,
 * sequences, large objects) and the dependency graph filters are resolved against. <b>Not API.</b>
 */
package io.pgcopydb.internal.catalog;
