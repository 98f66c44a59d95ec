package io.pgcopydb.internal.compare;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The schema of one database as the comparison sees it: every object in scope, named as a person names it
 * ({@code table public.film}, {@code column public.film.title}, {@code constraint film_pkey on public.film};
 * identifiers quoted where SQL needs it: {@code table "Mixed Case"."Film"}), each with its aspects
 * ({@code owner}, {@code definition}, {@code acl}…) as text. Names, never OIDs, so two databases compare. Built
 * by {@link CatalogSnapshotReader}; ordered by name.
 */
final class SchemaSnapshot {
    private final SortedMap<String, SchemaObject> objects = new TreeMap<>();
    private final int serverVersion;

    /** A snapshot of a server whose version is not known (0). */
    SchemaSnapshot() {
        this(0);
    }

    /** A snapshot of a server of {@code serverVersion} ({@code server_version_num}, e.g. 170005). */
    SchemaSnapshot(int serverVersion) {
        this.serverVersion = serverVersion;
    }

    /** The server's {@code server_version_num}; 0 when not known. */
    int serverVersion() {
        return serverVersion;
    }

    /**
     * One object and what is compared about it.
     *
     * @param name the object, e.g. {@code index public.film_pkey}
     * @param parents the objects it is part of ({@code table public.film} for a column, index, constraint,
     *     trigger, rule or policy; the publication and the table for a table's membership of a publication), maybe
     *     none; when a parent is missing on one side, so are its parts, and only the parent is reported
     * @param aspects aspect to value; an aspect one server's version does not have is absent, not empty
     */
    record SchemaObject(String name, List<String> parents, SortedMap<String, String> aspects) {
        SchemaObject {
            Objects.requireNonNull(name, "name");
            parents = List.copyOf(parents);
            aspects = Collections.unmodifiableSortedMap(new TreeMap<>(aspects));
        }

        /**
         * What stands for the whole object when it exists on one side only: its definition, its type (a
         * column), or else its name.
         */
        String summary() {
            for (String key : new String[] {"definition", "type", "value", "version", "labels", "kind"}) {
                String value = aspects.get(key);
                if (value != null && !value.isEmpty()) {
                    return value;
                }
            }
            return name;
        }
    }

    /** Adds an object; a second row naming the same object adds its aspects to the first's. */
    void add(String name, List<String> parents, Map<String, String> aspects) {
        SchemaObject existing = objects.get(name);
        if (existing == null) {
            objects.put(name, new SchemaObject(name, parents, new TreeMap<>(aspects)));
        } else {
            SortedMap<String, String> merged = new TreeMap<>(existing.aspects());
            merged.putAll(aspects);
            objects.put(name, new SchemaObject(name, existing.parents(), merged));
        }
    }

    /** The objects by name. */
    SortedMap<String, SchemaObject> objects() {
        return Collections.unmodifiableSortedMap(objects);
    }

    /** The object named {@code name}, or {@code null}. */
    SchemaObject get(String name) {
        return name == null ? null : objects.get(name);
    }
}
