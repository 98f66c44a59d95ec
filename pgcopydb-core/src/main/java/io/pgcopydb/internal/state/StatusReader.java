package io.pgcopydb.internal.state;

import io.pgcopydb.Phase;
import io.pgcopydb.WorkDirectoryStatus;
import io.pgcopydb.WorkDirectoryStatus.State;
import io.pgcopydb.WorkDirectoryStatus.StepStatus;
import io.pgcopydb.WorkDirectoryStatus.TableStatus;
import io.pgcopydb.WorkDirectoryStatus.UnitState;
import io.pgcopydb.WorkDirectoryStatus.UnitStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a work directory into a {@link WorkDirectoryStatus}: the journal's finished units, the last run's lines of
 * the {@link ActivityLog} (plan, steps, started and failed units) and whether the lock is held. Changes nothing.
 */
public final class StatusReader {
    /** What the last run's activity lines say. */
    private static final class Activity {
        String runId;
        OptionalLong pid = OptionalLong.empty();
        boolean planKnown;
        final Map<Long, String[]> tables = new LinkedHashMap<>();
        final Map<Long, String[]> indexes = new LinkedHashMap<>();
        final Map<Long, String[]> constraints = new LinkedHashMap<>();
        final Map<Phase, UnitState> steps = new EnumMap<>(Phase.class);
        /** "PART 12/3", "INDEX 44": started and not failed since. */
        final Set<String> started = new HashSet<>();
        final Set<String> failed = new HashSet<>();
    }

    private StatusReader() {
    }

    /** The status of {@code dir}; see {@link WorkDirectoryStatus#read}. */
    public static WorkDirectoryStatus read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no work directory at " + dir + ": give the --dir of a copy "
                    + "(workDirectory(path))");
        }
        List<JournalEntry> entries = Journal.entries(dir);
        List<JournalEntry> finished = Journal.finishedUnits(entries);
        boolean running = locked(dir);
        Activity a = activity(dir);
        Optional<Instant> startedAt = entries.stream().filter(JournalEntry.RunStarted.class::isInstance)
                .map(e -> ((JournalEntry.RunStarted) e).startedAt()).findFirst();
        Optional<Instant> finishedAt = entries.stream().filter(JournalEntry.CopyFinished.class::isInstance)
                .map(e -> ((JournalEntry.CopyFinished) e).finishedAt()).reduce((x, y) -> y);
        State state = running ? State.RUNNING : finishedAt.isPresent() ? State.FINISHED
                : entries.isEmpty() ? State.EMPTY : State.INTERRUPTED;
        Set<String> done = new HashSet<>();
        Map<Long, List<JournalEntry.PartCopied>> parts = new TreeMap<>();
        for (JournalEntry e : finished) {
            done.add(e.kind() + " " + e.key());
            if (e instanceof JournalEntry.PartCopied p) {
                parts.computeIfAbsent(p.tableOid(), k -> new ArrayList<>()).add(p);
            }
        }
        Optional<String> runId = Optional.ofNullable(a.runId).or(() -> entries.stream()
                .filter(JournalEntry.RunStarted.class::isInstance).map(JournalEntry::key).reduce((x, y) -> y));
        OptionalLong pid = !running ? OptionalLong.empty() : a.pid.isPresent() ? a.pid : lockHolder(dir);
        return new WorkDirectoryStatus(dir, state, pid, runId, startedAt,
                finishedAt, a.planKnown, steps(a, done, running, state == State.FINISHED), tables(a, parts, running, finishedAt.isPresent()),
                units(a.indexes, "INDEX", a, done, running), units(a.constraints, "CONSTRAINT", a, done, running));
    }

    private static List<StepStatus> steps(Activity a, Set<String> done, boolean running, boolean finished) {
        // A resumed run skips what the journal has: those steps count as done even when this run has not passed them.
        Map<Phase, UnitState> steps = new EnumMap<>(a.steps);
        journaled(steps, done, "PRE_DATA ", Phase.PREPARE_SCHEMA);
        journaled(steps, done, "LARGE_OBJECTS ", Phase.LARGE_OBJECTS);
        journaled(steps, done, "POST_DATA ", Phase.FINALIZE_SCHEMA);
        List<StepStatus> list = new ArrayList<>();
        for (Phase p : Phase.values()) {
            UnitState s = steps.getOrDefault(p, finished ? UnitState.SKIPPED : UnitState.PENDING);
            list.add(new StepStatus(p, s == UnitState.IN_PROGRESS && !running ? UnitState.INTERRUPTED : s));
        }
        return list;
    }

    private static void journaled(Map<Phase, UnitState> steps, Set<String> done, String unit, Phase phase) {
        if (done.contains(unit)) {
            steps.put(phase, UnitState.DONE);
        }
    }

    private static List<TableStatus> tables(Activity a, Map<Long, List<JournalEntry.PartCopied>> parts,
            boolean running, boolean copyFinished) {
        Map<Long, String[]> planned = new LinkedHashMap<>(a.tables);
        // Without a plan, the tables the journal names: their finished parts are all that is known.
        parts.keySet().forEach(oid -> planned.putIfAbsent(oid, null));
        List<TableStatus> list = new ArrayList<>();
        for (Map.Entry<Long, String[]> t : planned.entrySet()) {
            long oid = t.getKey();
            String[] plan = t.getValue();
            int count = plan == null ? 0 : Integer.parseInt(plan[0]);
            List<JournalEntry.PartCopied> copied = parts.getOrDefault(oid, List.of()).stream()
                    .filter(p -> plan == null || p.part() <= count).toList();
            Set<Integer> doneNumbers = new HashSet<>();
            copied.forEach(p -> doneNumbers.add(p.part()));
            List<Integer> runningParts = new ArrayList<>();
            boolean failed = false;
            for (int n = 1; n <= Math.max(count, 1); n++) {
                String key = "PART " + JournalEntry.PartCopied.key(oid, n);
                if (!doneNumbers.contains(n) && a.started.contains(key)) {
                    runningParts.add(n);
                }
                failed |= !doneNumbers.contains(n) && a.failed.contains(key);
            }
            UnitState state;
            if (copyFinished || plan != null && doneNumbers.size() >= count) {
                state = UnitState.DONE;
            } else if (!runningParts.isEmpty() || !doneNumbers.isEmpty()) {
                state = running ? UnitState.IN_PROGRESS : UnitState.INTERRUPTED;
            } else {
                state = failed ? UnitState.FAILED : UnitState.PENDING;
            }
            if (failed && runningParts.isEmpty() && state != UnitState.DONE) {
                state = UnitState.FAILED;
            }
            list.add(new TableStatus(oid, plan == null ? "" : plan[2], state, count, doneNumbers.size(),
                    running ? runningParts : List.of(), copied.stream().mapToLong(JournalEntry.PartCopied::rows).sum(),
                    copied.stream().mapToLong(JournalEntry.PartCopied::bytes).sum(),
                    plan == null ? 0 : Long.parseLong(plan[1])));
        }
        return list;
    }

    private static List<UnitStatus> units(Map<Long, String[]> planned, String kind, Activity a, Set<String> done,
            boolean running) {
        Map<Long, String[]> all = new LinkedHashMap<>(planned);
        done.stream().filter(k -> k.startsWith(kind + " ")).map(k -> Long.parseLong(k.substring(kind.length() + 1)))
                .sorted().forEach(oid -> all.putIfAbsent(oid, null));
        List<UnitStatus> list = new ArrayList<>();
        for (Map.Entry<Long, String[]> u : all.entrySet()) {
            String key = kind + " " + u.getKey();
            UnitState state = done.contains(key) ? UnitState.DONE
                    : a.started.contains(key) ? (running ? UnitState.IN_PROGRESS : UnitState.INTERRUPTED)
                    : a.failed.contains(key) ? UnitState.FAILED : UnitState.PENDING;
            String[] plan = u.getValue();
            list.add(new UnitStatus(u.getKey(), plan == null ? "" : plan[1], plan == null ? "" : plan[0], state));
        }
        return list;
    }

    /** The last run's lines of the activity file; a line cut short or not understood ends the reading. */
    private static Activity activity(Path dir) {
        Path file = dir.resolve(ActivityLog.FILE);
        List<String> lines = new ArrayList<>();
        try {
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n');
                text.substring(0, end + 1).lines().forEach(lines::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int last = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("RUN\t")) {
                last = i;
            }
        }
        Activity a = new Activity();
        for (String line : lines.subList(last, lines.size())) {
            String[] f = line.split("\t", -1);
            try {
                apply(a, f);
            } catch (RuntimeException e) {
                break;
            }
        }
        return a;
    }

    private static void apply(Activity a, String[] f) {
        String[] rest = java.util.Arrays.copyOfRange(f, 2, f.length);
        switch (f[0]) {
            case "RUN" -> {
                a.runId = f[1];
                a.pid = OptionalLong.of(Long.parseLong(f[2]));
            }
            case "STEP" -> a.steps.put(Phase.valueOf(f[1]), switch (f[2]) {
                case "STARTED" -> UnitState.IN_PROGRESS;
                case "DONE" -> UnitState.DONE;
                default -> UnitState.FAILED;
            });
            case "TABLE" -> {
                a.planKnown = true;
                a.tables.put(Long.parseLong(f[1]), rest);
            }
            case "INDEX" -> a.indexes.put(Long.parseLong(f[1]), rest);
            case "CONSTRAINT" -> a.constraints.put(Long.parseLong(f[1]), rest);
            case "STARTED" -> {
                a.started.add(f[1] + " " + f[2]);
                a.failed.remove(f[1] + " " + f[2]);
            }
            case "FAILED" -> {
                a.started.remove(f[1] + " " + f[2]);
                a.failed.add(f[1] + " " + f[2]);
            }
            default -> throw new IllegalArgumentException("unknown line " + f[0]);
        }
    }

    /** The process the lock file names ({@code process 1234}), before the run wrote its activity. */
    private static OptionalLong lockHolder(Path dir) {
        try {
            String text = Files.readString(dir.resolve("lock"), StandardCharsets.UTF_8).strip();
            return text.startsWith("process ") ? OptionalLong.of(Long.parseLong(text.substring(8).strip()))
                    : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Whether a run holds the directory's lock now: a shared lock is refused while it does. */
    private static boolean locked(Path dir) {
        Path file = dir.resolve("lock");
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            // This JVM holds it: a run of this process.
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lock of " + dir + ": " + e.getMessage(), e);
        }
    }
}
