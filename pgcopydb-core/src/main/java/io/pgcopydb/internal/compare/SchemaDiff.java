package io.pgcopydb.internal.compare;

import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.Difference.Area;
import io.pgcopydb.internal.compare.SchemaSnapshot.SchemaObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The differences between two {@link SchemaSnapshot}s, by object name then aspect. An object on one side only
 * is one difference ({@code exists}); its parts (the columns, indexes, constraints… of a missing table) are not
 * reported again. An aspect only one side has (its server's version lacks it) is not compared.
 */
final class SchemaDiff {
    private SchemaDiff() {
    }

    /** Compares {@code source} with {@code target}; every object is counted once, whichever side has it. */
    static SchemaComparer.Result diff(SchemaSnapshot source, SchemaSnapshot target) {
        SortedSet<String> names = new TreeSet<>(source.objects().keySet());
        names.addAll(target.objects().keySet());
        List<Difference> differences = new ArrayList<>();
        for (String name : names) {
            SchemaObject s = source.get(name);
            SchemaObject t = target.get(name);
            if (t == null) {
                if (!partOfAbsent(s, target)) {
                    differences.add(Difference.missingOnTarget(Area.SCHEMA, name, s.summary()));
                }
            } else if (s == null) {
                if (!partOfAbsent(t, source)) {
                    differences.add(Difference.extraOnTarget(Area.SCHEMA, name, t.summary()));
                }
            } else {
                for (String aspect : s.aspects().keySet()) {
                    String sv = s.aspects().get(aspect);
                    String tv = t.aspects().get(aspect);
                    if (tv != null && !Objects.equals(sv, tv)) {
                        differences.add(Difference.changed(Area.SCHEMA, name, aspect, sv, tv));
                    }
                }
            }
        }
        return new SchemaComparer.Result(differences, names.size());
    }

    /** Whether {@code object} is part of an object that {@code other} lacks too (that one is reported). */
    private static boolean partOfAbsent(SchemaObject object, SchemaSnapshot other) {
        return object.parents().stream().anyMatch(p -> other.get(p) == null);
    }
}
