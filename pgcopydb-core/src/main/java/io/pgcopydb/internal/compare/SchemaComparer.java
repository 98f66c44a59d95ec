package io.pgcopydb.internal.compare;

import io.pgcopydb.compare.Difference;
import java.util.List;

/** Compares the schemas of two databases from their catalogs. */
public final class SchemaComparer {
    private SchemaComparer() {
    }

    /**
     * What the schema comparison found.
     *
     * @param differences every schema difference, in a stable order
     * @param objectsCompared how many objects were compared (each counted once, whichever side has it)
     */
    public record Result(List<Difference> differences, long objectsCompared) {
        /** Copies the list. */
        public Result {
            differences = List.copyOf(differences);
        }
    }

    /** Compares the schemas the request names, within {@code scope}. */
    public static Result compare(CompareRequest request, CompareScope scope) throws Exception {
        throw new UnsupportedOperationException("schema comparison is not built yet");
    }
}
