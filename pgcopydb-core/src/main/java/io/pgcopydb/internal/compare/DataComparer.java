package io.pgcopydb.internal.compare;

import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.TableComparison;
import java.util.List;

/** Compares the data of two databases: per table a row count and an order-independent checksum. */
public final class DataComparer {
    private DataComparer() {
    }

    /**
     * What the data comparison found.
     *
     * @param differences every data difference, in a stable order
     * @param tables each table's comparison, ordered by name
     * @param rowsCompared rows compared, both sides' counts added up
     */
    public record Result(List<Difference> differences, List<TableComparison> tables, long rowsCompared) {
        /** Copies the lists. */
        public Result {
            differences = List.copyOf(differences);
            tables = List.copyOf(tables);
        }
    }

    /** Compares the data the request names, within {@code scope}. */
    public static Result compare(CompareRequest request, CompareScope scope) throws Exception {
        throw new UnsupportedOperationException("data comparison is not built yet");
    }
}
