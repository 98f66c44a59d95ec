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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every listener event with its time and thread, and checks the listener contract: every start has
 * exactly one end, progress only between them, the run started and finished once, every planned unit ended once,
 * and the events agree with the report the run finished with.
 */
public final class RecordingListener implements CopyListener {

    /** One event: what, on which object, when (nanoTime), on which thread. */
    public record Event(String type, String object, long nanos, String thread) {
        boolean isStart() {
            return type.endsWith("Started");
        }

        boolean isEnd() {
            return type.endsWith("Finished") || type.endsWith("Failed") || type.endsWith("Skipped");
        }

        String family() {
            return type.replaceAll("(Started|Finished|Failed|Skipped|Progress)$", "");
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    /** How each unit ended: family:object → "Finished", "Failed" or the skip reason. */
    private final Map<String, String> endings = new ConcurrentHashMap<>();
    private volatile PlannedCopy planned;
    private volatile CopyReport finished;
    /** Whether the run makes every step: steps run alone plan and report only part of a copy. */
    private volatile boolean wholeRun = true;

    private void record(String type, Object object) {
        events.add(new Event(type, String.valueOf(object), System.nanoTime(), Thread.currentThread().getName()));
    }

    private void end(String family, Object object, String how) {
        record(family + (how.equals("Finished") || how.equals("Failed") ? how : "Skipped"), object);
        String previous = endings.put(family + ":" + object, how);
        if (previous != null) {
            endings.put(family + ":" + object, "ENDED TWICE: " + previous + " and " + how);
        }
    }

    /** The plan the run announced, if it got that far. */
    public Optional<PlannedCopy> planned() {
        return Optional.ofNullable(planned);
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

    /**
     * Asserts the pairing contract over everything recorded and, when the run announced its plan and made every
     * step, that the events agree with the report.
     */
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
                // A unit that never started is announced skipped: an end without a start.
                if (n == null && !e.type().endsWith("Skipped")) {
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
        if (planned != null && wholeRun) {
            assertAgreesWithReport();
        }
    }

    /** Every planned unit ended once, as the report says; the ended parts add up to the planned bytes. */
    private void assertAgreesWithReport() {
        CopyReport report = finished;
        List<String> problems = new ArrayList<>();
        endings.forEach((k, v) -> {
            if (v.startsWith("ENDED TWICE")) {
                problems.add(k + " " + v);
            }
        });
        long doneBytes = 0;
        int doneParts = 0;
        Map<Long, List<String>> partEndings = new HashMap<>();
        for (TablePart p : planned.parts()) {
            String how = endings.get("tableCopy:" + p);
            if (how == null) {
                problems.add("planned part never ended: " + p);
                continue;
            }
            partEndings.computeIfAbsent(p.table().oid(), k -> new ArrayList<>()).add(how);
            if (done(how)) {
                doneBytes += p.bytes();
                doneParts++;
            }
        }
        for (TableReport t : report.tables()) {
            List<String> hows = partEndings.getOrDefault(t.oid(), List.of());
            Outcome expected = hows.contains("Failed") ? Outcome.FAILED
                    : hows.stream().allMatch(RecordingListener::done) ? Outcome.DONE : Outcome.SKIPPED;
            if (t.outcome() != expected) {
                problems.add("table " + t.name() + ": report " + t.outcome() + ", events " + hows);
            }
        }
        for (IndexDefinition i : planned.indexes()) {
            agree(problems, "index:" + i.name(), report, ObjectReport.Kind.INDEX, i.oid());
        }
        for (ConstraintDefinition c : planned.constraints()) {
            agree(problems, "constraint:" + c.table() + "." + c.name(), report, ObjectReport.Kind.CONSTRAINT,
                    c.oid());
        }
        for (QualifiedName v : planned.vacuums()) {
            if (!endings.containsKey("vacuum:" + v)) {
                problems.add("planned vacuum never ended: " + v);
            }
        }
        long plannedUnits = planned.parts().size() + planned.indexes().size() + planned.constraints().size()
                + planned.vacuums().size();
        if (endings.size() != plannedUnits) {
            problems.add(endings.size() + " units ended, " + plannedUnits + " planned");
        }
        if (report.succeeded()) {
            List<String> finishedPhases = events("phaseFinished").stream().map(Event::object).toList();
            for (Phase phase : Phase.values()) {
                boolean ran = (phase != Phase.LARGE_OBJECTS || planned.largeObjects() > 0)
                        && (phase != Phase.VERIFY || report.verification().isPresent());
                if (ran && !finishedPhases.contains(phase.name())) {
                    problems.add("a successful run's step " + phase + " sent no phaseFinished: " + finishedPhases);
                }
            }
            if (doneBytes != planned.bytes() || doneParts != planned.parts().size()) {
                problems.add("a successful run's parts add up to " + doneParts + " parts, " + doneBytes
                        + " bytes; planned " + planned.parts().size() + ", " + planned.bytes());
            }
            if (report.indexes().size() != planned.indexes().size()
                    || report.constraints().size() != planned.constraints().size()) {
                problems.add("report has " + report.indexes().size() + " indexes and " + report.constraints().size()
                        + " constraints; planned " + planned.indexes().size() + " and "
                        + planned.constraints().size());
            }
        }
        assertThat(problems).as("listener and report agree").isEmpty();
    }

    private void agree(List<String> problems, String key, CopyReport report, ObjectReport.Kind kind, long oid) {
        String how = endings.get(key);
        Optional<ObjectReport> object = report.objects().stream()
                .filter(o -> o.kind() == kind && o.oid() == oid).findFirst();
        if (how == null) {
            problems.add("planned " + key + " never ended");
            return;
        }
        Outcome expected = how.equals("Failed") ? Outcome.FAILED : done(how) ? Outcome.DONE : Outcome.SKIPPED;
        if (object.isEmpty() || object.get().outcome() != expected) {
            problems.add(key + ": events say " + how + ", report " + object.map(ObjectReport::outcome));
        }
    }

    private static boolean done(String how) {
        return how.equals("Finished") || how.equals(SkipReason.ALREADY_DONE.name());
    }

    @Override
    public void runStarted(String runId, CopyOptions options) {
        record("runStarted", runId);
        wholeRun = options.steps().isEmpty();
    }

    @Override
    public void runFinished(CopyReport report) {
        finished = report;
        record("runFinished", report.runId());
    }

    @Override
    public void copyPlanned(PlannedCopy plan) {
        planned = plan;
        record("copyPlanned", plan.parts().size() + " parts");
    }

    @Override
    public void strategyChosen(Strategy strategy, String reason) {
        record("strategyChosen", strategy + ": " + reason);
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
        end("tableCopy", part, "Finished");
    }

    @Override
    public void tableCopyFailed(TablePart part, Throwable error) {
        end("tableCopy", part, "Failed");
    }

    @Override
    public void indexStarted(IndexDefinition index) {
        record("indexStarted", index.name());
    }

    @Override
    public void indexFinished(IndexDefinition index, Duration duration) {
        end("index", index.name(), "Finished");
    }

    @Override
    public void indexFailed(IndexDefinition index, Throwable error) {
        end("index", index.name(), "Failed");
    }

    @Override
    public void constraintStarted(ConstraintDefinition constraint) {
        record("constraintStarted", constraint.table() + "." + constraint.name());
    }

    @Override
    public void constraintFinished(ConstraintDefinition constraint, Duration duration) {
        end("constraint", constraint.table() + "." + constraint.name(), "Finished");
    }

    @Override
    public void constraintFailed(ConstraintDefinition constraint, Throwable error) {
        end("constraint", constraint.table() + "." + constraint.name(), "Failed");
    }

    @Override
    public void vacuumStarted(QualifiedName table) {
        record("vacuumStarted", table);
    }

    @Override
    public void vacuumFinished(QualifiedName table, Duration duration) {
        end("vacuum", table, "Finished");
    }

    @Override
    public void vacuumFailed(QualifiedName table, Throwable error) {
        end("vacuum", table, "Failed");
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

    @Override
    public void tableCopySkipped(TablePart part, SkipReason reason) {
        end("tableCopy", part, reason.name());
    }

    @Override
    public void indexSkipped(IndexDefinition index, SkipReason reason) {
        end("index", index.name(), reason.name());
    }

    @Override
    public void constraintSkipped(ConstraintDefinition constraint, SkipReason reason) {
        end("constraint", constraint.table() + "." + constraint.name(), reason.name());
    }

    @Override
    public void vacuumSkipped(QualifiedName table, SkipReason reason) {
        end("vacuum", table, reason.name());
    }
}
