/**
 * Filters resolved against one source snapshot: which tables, indexes, sequences, schemas and extensions a copy
 * keeps ({@link io.pgcopydb.internal.filter.FilterScope}, closed over dependencies), how that selection is applied
 * to the catalog and to pg_restore's lists ({@link io.pgcopydb.internal.filter.FilterPlan}), and the listing of
 * {@code pgcopydb list}. <b>Not API.</b>
 */
package io.pgcopydb.internal.filter;
