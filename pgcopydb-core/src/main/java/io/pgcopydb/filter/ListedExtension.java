package io.pgcopydb.filter;

import java.util.Objects;

/**
 * One extension installed in the source database, as {@code pgcopydb list extensions} shows it.
 *
 * @param oid its OID
 * @param name its name ({@code postgis})
 * @param schema the schema its objects live in
 * @param version the installed version ({@code 3.4.2})
 * @param relocatable whether it may move to another schema
 * @param configTables how many configuration tables it has ({@code pg_extension_config_dump}), whose rows a copy
 *     copies
 */
public record ListedExtension(long oid, String name, String schema, String version, boolean relocatable,
        int configTables) {
    /** Checks for nulls. */
    public ListedExtension {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(version, "version");
    }
}
