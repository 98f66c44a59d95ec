/**
 * Steps 3, 4 and 8, the schema: pg_dump of the pre- and post-data sections, the pg_restore lists and their
 * filtering, roles, database settings, extensions' configuration tables and the cleaning of a target that holds
 * an older copy. <b>Not API.</b>
 */
package io.pgcopydb.internal.schema;
