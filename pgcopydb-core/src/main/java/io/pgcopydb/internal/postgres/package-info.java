/**
 * Talking to PostgreSQL, for every step: sessions with the settings a long copy needs, SQL text, error
 * classification (lost connection or not, one-line messages), the client tools (pg_dump, pg_restore) and the
 * lines of their table of contents. <b>Not API.</b>
 */
package io.pgcopydb.internal.postgres;
