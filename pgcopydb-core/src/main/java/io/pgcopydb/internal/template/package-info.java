/**
 * Before step 1: the strategy of a copy ({@code Strategy}) — the same-server fast path
 * ({@code CREATE DATABASE … TEMPLATE}, {@link io.pgcopydb.internal.template.TemplateCopy}), and the creation of a
 * target database that does not exist yet, for either path ({@link io.pgcopydb.internal.template.TargetDatabase}).
 */
package io.pgcopydb.internal.template;
