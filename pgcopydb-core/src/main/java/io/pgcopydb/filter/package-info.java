/**
 * What to copy: {@link io.pgcopydb.filter.Filters} (pgcopydb's filter sections), read from pgcopydb's ini files by
 * {@link io.pgcopydb.filter.FilterFile}, and {@link io.pgcopydb.filter.SourceListing}, what a filter selects in a
 * source database ({@code pgcopydb list}).
 *
 * <p>Names and patterns follow pgcopydb: exact names, {@code LIKE}-style patterns and POSIX regular expressions
 * (translated to Java's). Values here are immutable; they depend only on {@link io.pgcopydb.model}.
 */
package io.pgcopydb.filter;
