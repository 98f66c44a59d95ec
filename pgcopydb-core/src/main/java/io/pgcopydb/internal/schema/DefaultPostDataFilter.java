package io.pgcopydb.internal.schema;

import io.pgcopydb.internal.postgres.TocLine;
import io.pgcopydb.stage.PostDataFilter;
import java.util.List;
import java.util.Optional;

/**
 * Comments out the INDEX entries whose index OID, and the CONSTRAINT and FK CONSTRAINT entries whose constraint OID,
 * the engine built itself (foreign keys: those the data step added as their tables completed). {@code INDEX ATTACH}
 * and {@code CHECK CONSTRAINT} entries are different descriptions and stay.
 */
public final class DefaultPostDataFilter implements PostDataFilter {

    @Override
    public List<String> filter(List<String> tocLines, Built built) {
        return tocLines.stream().map(line -> skip(line, built) ? ";" + line : line).toList();
    }

    private static boolean skip(String line, Built built) {
        Optional<TocLine> entry = TocLine.parse(line);
        if (entry.isEmpty()) {
            return false;
        }
        TocLine e = entry.get();
        return (e.is("INDEX") && built.indexOids().contains(e.objectOid()))
                || ((e.is("CONSTRAINT") || e.is("FK CONSTRAINT")) && built.constraintOids().contains(e.objectOid()));
    }
}
