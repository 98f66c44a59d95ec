/**
 * Comparing two databases ({@code DatabaseCompare}, and {@code verify()} after a copy): the schema from the
 * catalogs ({@link io.pgcopydb.internal.compare.SchemaComparer}), the data by count and checksum computed on the
 * servers ({@link io.pgcopydb.internal.compare.DataComparer}), both restricted to what a copy with the same filter
 * creates ({@link io.pgcopydb.internal.compare.CompareScope}). <b>Not API.</b>
 */
package io.pgcopydb.internal.compare;
