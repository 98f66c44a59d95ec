package io.pgcopydb.compare;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing that differs between source and target.
 *
 * @param area whether it is about the schema or the data
 * @param object what differs, as a person names it: {@code table public.film}, {@code column public.film.title},
 *     {@code index public.film_pkey}, {@code rows of public.film}, {@code large object 16402},
 *     {@code database setting work_mem}
 * @param aspect which property of it: {@code exists}, {@code default}, {@code collation}, {@code definition},
 *     {@code row count}, {@code checksum}, {@code enabled}, {@code acl}, …
 * @param source the property's value on the source; empty when the object does not exist there
 * @param target the property's value on the target; empty when the object does not exist there
 */
public record Difference(Area area, String object, String aspect, Optional<String> source, Optional<String> target) {

    /** Checks for nulls. */
    public Difference {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(aspect, "aspect");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }

    /** What a difference is about. */
    public enum Area {
        /** The schema: an object, or a property of one, read from the catalogs. */
        SCHEMA,
        /** The data: rows of a table or materialized view, sequence values, large objects. */
        DATA
    }

    /** An object the source has and the target lacks. */
    public static Difference missingOnTarget(Area area, String object, String sourceValue) {
        return new Difference(area, object, "exists", Optional.of(sourceValue), Optional.empty());
    }

    /** An object the target has and the source lacks. */
    public static Difference extraOnTarget(Area area, String object, String targetValue) {
        return new Difference(area, object, "exists", Optional.empty(), Optional.of(targetValue));
    }

    /** A property whose values differ. */
    public static Difference changed(Area area, String object, String aspect, String sourceValue,
            String targetValue) {
        return new Difference(area, object, aspect, Optional.ofNullable(sourceValue), Optional.ofNullable(targetValue));
    }

    /** Whether the object is missing on the target. */
    public boolean missingOnTarget() {
        return source.isPresent() && target.isEmpty() && aspect.equals("exists");
    }

    /** Whether the object exists only on the target. */
    public boolean extraOnTarget() {
        return source.isEmpty() && target.isPresent() && aspect.equals("exists");
    }

    /** {@code object aspect: source <value> / target <value>}, one line, values capped at 200 characters. */
    @Override
    public String toString() {
        return object + " " + aspect + ": source " + show(source) + " / target " + show(target);
    }

    private static String show(Optional<String> value) {
        if (value.isEmpty()) {
            return "(absent)";
        }
        String v = value.get().replaceAll("\\s+", " ").strip();
        return v.length() <= 200 ? v : v.substring(0, 199) + "…";
    }
}
