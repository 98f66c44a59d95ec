package io.pgcopydb.internal.compare;

import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.Ignore;
import java.util.List;
import java.util.Set;

/**
 * Which differences a comparison leaves out for its {@link Ignore}s: matched on the object's kind (the first words
 * of {@link Difference#object()}) and the aspect, the names both comparers give them.
 */
final class IgnoredDifferences {
    private IgnoredDifferences() {
    }

    /** {@code differences} without those that {@code ignored} leaves out, in their order. */
    static List<Difference> without(Set<Ignore> ignored, List<Difference> differences) {
        if (ignored.isEmpty()) {
            return differences;
        }
        return differences.stream().filter(d -> ignored.stream().noneMatch(i -> ignores(i, d))).toList();
    }

    /** Whether {@code ignore} leaves {@code d} out. */
    static boolean ignores(Ignore ignore, Difference d) {
        String object = d.object();
        String aspect = d.aspect();
        return switch (ignore) {
            case OWNERS -> aspect.equals("owner");
            case ACLS -> aspect.equals("acl") || object.startsWith("default privileges ");
            case COMMENTS -> aspect.equals("comment");
            case EXTENSION_COMMENTS -> aspect.equals("comment") && object.startsWith("extension ");
            case EXTENSIONS -> object.startsWith("extension ");
            case COLLATIONS -> object.startsWith("collation ");
            case DATABASE_SETTINGS -> object.startsWith("database setting ")
                    || object.startsWith("role ") && object.contains(" setting ");
            case LARGE_OBJECTS -> object.startsWith("large object");
        };
    }
}
