package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.ConstraintDefinition;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.TablePart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every listener event with its time and thread, and checks the listener contract: every start has
 * exactly one end, progress only between them, the run started and finished once.
 */
public final class RecordingListener implements CopyListener {

    /** One event: what, on which object, when (nanoTime), on which thread. */
    public record Event(String type, String object, long nanos, String thread) {
        boolean isStart() {
            return type.endsWith("Started");
        }

        boolean isEnd() {
            return type.endsWith("Finished") || type.endsWith("Failed");
        }

        String family() {
            return type.replaceAll("(Started|Finished|Failed|Progress)$", "");
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    private void record(String type, Object object) {
        events.add(new Event(type, String.valueOf(object), System.nanoTime(), Thread.currentThread().getName()));
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<Event> events(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    /** Start and end times of each object of a family, e.g. {@code "tableCopy"} or {@code "index"}. */
    public Map<String, long[]> intervals(String family) {
        Map<String, long[]> intervals = new HashMap<>();
        for (Event e : events) {
            if (!e.family().equals(family)) {
                continue;
            }
            if (e.isStart()) {
                intervals.put(e.object(), new long[] {e.nanos(), Long.MAX_VALUE});
            } else if (e.isEnd()) {
                intervals.get(e.object())[1] = e.nanos();
            }
        }
        return intervals;
    }

    /** Asserts the pairing contract over everything recorded. */
    public void assertPaired() {
        Map<String, Integer> open = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Event e : events) {
            String key = e.family() + ":" + e.object();
            if (e.isStart()) {
                if (open.merge(key, 1, Integer::sum) > 1) {
                    problems.add("started twice: " + key);
                }
            } else if (e.isEnd()) {
                Integer n = open.remove(key);
                if (n == null) {
                    problems.add("ended without start: " + key + " (" + e.type() + ")");
                }
            } else if (e.type().endsWith("Progress") && !open.containsKey(key)) {
                problems.add("progress outside start/end: " + key);
            }
        }
        open.keySet().forEach(k -> problems.add("never ended: " + k));
        assertThat(problems).as("listener pairing").isEmpty();
        assertThat(events("runStarted")).hasSize(1);
        assertThat(events("runFinished")).hasSize(1);
        assertThat(events.get(events.size() - 1).type()).isEqualTo("runFinished");
    }

    @Override
    public void runStarted(String runId, CopyOptions options) {
        record("runStarted", runId);
    }

    @Override
    public void runFinished(CopyReport report) {
        record("runFinished", report.runId());
    }

    @Override
    public void phaseStarted(Phase phase) {
        record("phaseStarted", phase);
    }

    @Override
    public void phaseFinished(Phase phase, Duration duration) {
        record("phaseFinished", phase);
    }

    @Override
    public void phaseFailed(Phase phase, Throwable error) {
        record("phaseFailed", phase);
    }

    @Override
    public void retrying(String object, int attempt, Duration delay, Throwable error) {
        record("retrying", object + " #" + attempt);
    }

    @Override
    public void tableCopyStarted(TablePart part) {
        record("tableCopyStarted", part);
    }

    @Override
    public void tableCopyProgress(TablePart part, long rows, long bytes) {
        record("tableCopyProgress", part);
    }

    @Override
    public void tableCopyFinished(TablePart part, long rows, long bytes, Duration duration) {
        record("tableCopyFinished", part);
    }

    @Override
    public void tableCopyFailed(TablePart part, Throwable error) {
        record("tableCopyFailed", part);
    }

    @Override
    public void indexStarted(IndexDefinition index) {
        record("indexStarted", index.name());
    }

    @Override
    public void indexFinished(IndexDefinition index, Duration duration) {
        record("indexFinished", index.name());
    }

    @Override
    public void indexFailed(IndexDefinition index, Throwable error) {
        record("indexFailed", index.name());
    }

    @Override
    public void constraintStarted(ConstraintDefinition constraint) {
        record("constraintStarted", constraint.table() + "." + constraint.name());
    }

    @Override
    public void constraintFinished(ConstraintDefinition constraint, Duration duration) {
        record("constraintFinished", constraint.table() + "." + constraint.name());
    }

    @Override
    public void constraintFailed(ConstraintDefinition constraint, Throwable error) {
        record("constraintFailed", constraint.table() + "." + constraint.name());
    }

    @Override
    public void vacuumStarted(QualifiedName table) {
        record("vacuumStarted", table);
    }

    @Override
    public void vacuumFinished(QualifiedName table, Duration duration) {
        record("vacuumFinished", table);
    }

    @Override
    public void vacuumFailed(QualifiedName table, Throwable error) {
        record("vacuumFailed", table);
    }

    @Override
    public void sequencesStarted(int count) {
        record("sequencesStarted", "sequences");
    }

    @Override
    public void sequencesFinished(int count, Duration duration) {
        record("sequencesFinished", "sequences");
    }

    @Override
    public void sequencesFailed(Throwable error) {
        record("sequencesFailed", "sequences");
    }

    @Override
    public void largeObjectsStarted(long count) {
        record("largeObjectsStarted", "large objects");
    }

    @Override
    public void largeObjectsFinished(long count, long bytes, Duration duration) {
        record("largeObjectsFinished", "large objects");
    }

    @Override
    public void largeObjectsFailed(Throwable error) {
        record("largeObjectsFailed", "large objects");
    }
}
