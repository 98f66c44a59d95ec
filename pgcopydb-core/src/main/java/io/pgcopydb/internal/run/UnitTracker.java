package io.pgcopydb.internal.run;

import io.pgcopydb.CopyListener;
import io.pgcopydb.ObjectReport;
import io.pgcopydb.Outcome;
import io.pgcopydb.PlannedCopy;
import io.pgcopydb.SkipReason;
import io.pgcopydb.model.ConstraintDefinition;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.TablePart;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows which planned units have ended (finished, failed or skipped), so that a run that stops before reaching
 * some — a failed schema restore, a cancellation before the data step — announces them as skipped and the
 * listener's count of ended units still reaches the planned totals. (How far the run is, is the
 * {@link ProgressTracker}'s.) Thread-safe.
 */
final class UnitTracker implements CopyListener {
    private volatile PlannedCopy plan;
    private final Set<String> ended = ConcurrentHashMap.newKeySet();

    @Override
    public void copyPlanned(PlannedCopy plan) {
        this.plan = plan;
    }

    @Override
    public void tableCopyFinished(TablePart part, long rows, long bytes, Duration duration) {
        endPart(part);
    }

    @Override
    public void tableCopyFailed(TablePart part, Throwable error) {
        endPart(part);
    }

    @Override
    public void tableCopySkipped(TablePart part, SkipReason reason) {
        endPart(part);
    }

    private void endPart(TablePart part) {
        ended.add(key(part));
    }

    @Override
    public void indexFinished(IndexDefinition index, Duration duration) {
        ended.add(key(index));
    }

    @Override
    public void indexFailed(IndexDefinition index, Throwable error) {
        ended.add(key(index));
    }

    @Override
    public void indexSkipped(IndexDefinition index, SkipReason reason) {
        ended.add(key(index));
    }

    @Override
    public void constraintFinished(ConstraintDefinition constraint, Duration duration) {
        ended.add(key(constraint));
    }

    @Override
    public void constraintFailed(ConstraintDefinition constraint, Throwable error) {
        ended.add(key(constraint));
    }

    @Override
    public void constraintSkipped(ConstraintDefinition constraint, SkipReason reason) {
        ended.add(key(constraint));
    }

    @Override
    public void vacuumFinished(QualifiedName table, Duration duration) {
        ended.add(key(table));
    }

    @Override
    public void vacuumFailed(QualifiedName table, Throwable error) {
        ended.add(key(table));
    }

    @Override
    public void vacuumSkipped(QualifiedName table, SkipReason reason) {
        ended.add(key(table));
    }

    /**
     * Announces every planned unit that has not ended as skipped for {@code reason} through {@code listener},
     * and records the indexes and constraints among them as skipped in {@code report} (tables are skipped there
     * already: their parts never finished).
     */
    void skipUnended(CopyListener listener, ReportCollector report, SkipReason reason) {
        PlannedCopy p = plan;
        if (p == null) {
            return;
        }
        p.parts().stream().filter(part -> !ended.contains(key(part)))
                .forEach(part -> listener.tableCopySkipped(part, reason));
        for (IndexDefinition i : p.indexes()) {
            if (!ended.contains(key(i))) {
                report.object(new ObjectReport(ObjectReport.Kind.INDEX, i.oid(), i.name(), i.table(), Outcome.SKIPPED,
                        Optional.empty(), Duration.ZERO));
                listener.indexSkipped(i, reason);
            }
        }
        for (ConstraintDefinition c : p.constraints()) {
            if (!ended.contains(key(c))) {
                report.object(new ObjectReport(ObjectReport.Kind.CONSTRAINT, c.oid(),
                        new QualifiedName(c.table().schema(), c.name()), c.table(), Outcome.SKIPPED, Optional.empty(),
                        Duration.ZERO));
                listener.constraintSkipped(c, reason);
            }
        }
        p.vacuums().stream().filter(t -> !ended.contains(key(t))).forEach(t -> listener.vacuumSkipped(t, reason));
    }

    private static String key(TablePart part) {
        return "part:" + part.table().oid() + "/" + part.number();
    }

    private static String key(IndexDefinition index) {
        return "index:" + index.oid();
    }

    private static String key(ConstraintDefinition constraint) {
        return "constraint:" + constraint.oid();
    }

    private static String key(QualifiedName table) {
        return "vacuum:" + table;
    }
}
