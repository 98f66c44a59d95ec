/**
 * The public API: {@link io.pgcopydb.DatabaseCopy} (entry point), {@link io.pgcopydb.connection.ConnectionSpec},
 * {@link io.pgcopydb.CopyOptions}, {@link io.pgcopydb.CopyListener}, {@link io.pgcopydb.CopyReport} and
 * {@link io.pgcopydb.PgCopyException}.
 *
 * <pre>{@code
 * CopyReport report = DatabaseCopy.from("postgres://app@src:5432/shop")
 *         .to("postgres://app@tgt:5432/shop")
 *         .jobs(8)
 *         .run();
 * }</pre>
 *
 * <p>Values in this package are immutable and thread-safe unless documented otherwise. Nothing in
 * {@code io.pgcopydb.internal} is API; the replaceable stages live in {@link io.pgcopydb.stage}.
 */
package io.pgcopydb;
