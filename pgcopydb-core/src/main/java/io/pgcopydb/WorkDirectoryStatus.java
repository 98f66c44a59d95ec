package io.pgcopydb;

import io.pgcopydb.internal.Wiring;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Where the copy of a work directory stands, read from its files without a database connection and without
 * changing anything: pgcopydb's {@code list progress}. Works on a running copy (another process, or this one) and
 * on one that finished, failed or was killed, so a migration tool shows the same answer as the command line.
 * Immutable.
 *
 * <pre>{@code
 * WorkDirectoryStatus s = WorkDirectoryStatus.read(Path.of("/var/tmp/copy"));
 * System.out.println(s.state() + ": " + s.count(s.tables(), UnitState.DONE) + " of " + s.tables().size() + " tables");
 * }</pre>
 *
 * <p>The finished units come from the crash-safe journal; the plan (tables, their parts, indexes, constraints) and
 * what was started come from the directory's {@code activity} file, which runs since this version write. Without
 * it ({@link #planKnown()} false, say a run killed before its plan was made) only finished units are listed, the
 * tables by OID.
 *
 * @param workDirectory the directory read
 * @param state whether a copy runs there now, was interrupted, or finished
 * @param pid the process holding the directory's lock when {@link State#RUNNING}, as its lock file says
 * @param runId the last run's id, when it wrote one
 * @param startedAt when the first run of the copy started writing to the target
 * @param finishedAt when the copy finished ({@link State#FINISHED})
 * @param planKnown whether the last run's plan was found, so that pending units are listed
 * @param steps the last run's steps, in order, each with its state ({@link UnitState#PENDING} when not reached,
 *     {@link UnitState#SKIPPED} when the finished copy never ran it)
 * @param tables the tables whose rows the copy copies, in plan order
 * @param indexes the indexes the copy builds
 * @param constraints the constraints the copy attaches to them
 */
public record WorkDirectoryStatus(Path workDirectory, State state, OptionalLong pid, Optional<String> runId,
        Optional<Instant> startedAt, Optional<Instant> finishedAt, boolean planKnown, List<StepStatus> steps,
        List<TableStatus> tables, List<UnitStatus> indexes, List<UnitStatus> constraints) {

    /** Checks for nulls and copies the lists. */
    public WorkDirectoryStatus {
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        steps = List.copyOf(steps);
        tables = List.copyOf(tables);
        indexes = List.copyOf(indexes);
        constraints = List.copyOf(constraints);
    }

    /**
     * Reads {@code workDirectory}. Briefly takes and releases a shared lock on its lock file to learn whether a run
     * holds it; a run claiming the directory at that very instant is told it is in use and may be started again.
     *
     * @param workDirectory a directory given to {@link CopyBuilder#workDirectory(Path)} (or {@code --dir})
     * @return its status
     * @throws IllegalArgumentException when the directory does not exist
     * @throws java.io.UncheckedIOException when a file of it cannot be read
     */
    public static WorkDirectoryStatus read(Path workDirectory) {
        return Wiring.workDirectoryStatus(Objects.requireNonNull(workDirectory, "workDirectory"));
    }

    /** Where the copy of the directory stands. */
    public enum State {
        /** No copy has written anything there yet, and no run holds it. */
        EMPTY,
        /** A run holds the directory's lock now. */
        RUNNING,
        /** A copy started and did not finish, and no run holds it: {@code resume()} continues it. */
        INTERRUPTED,
        /** The copy finished. */
        FINISHED
    }

    /** Where one step, table, index or constraint stands. */
    public enum UnitState {
        /** Finished (in the journal). */
        DONE,
        /** Started by the run that holds the directory now, not finished. */
        IN_PROGRESS,
        /** Started by a run that is gone (killed, failed, cancelled) without finishing it: a resume does it again. */
        INTERRUPTED,
        /** It failed, and was not done since. */
        FAILED,
        /** Not started. */
        PENDING,
        /** A step the finished copy never ran: nothing to do (no large objects) or not asked for (verify). */
        SKIPPED
    }

    /**
     * One step of the last run.
     *
     * @param phase the step
     * @param state where it stands
     */
    public record StepStatus(Phase phase, UnitState state) {
        /** Checks for nulls. */
        public StepStatus {
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * One table whose rows the copy copies.
     *
     * @param oid its OID on the source
     * @param name its qualified name; empty when the plan is not known
     * @param state {@link UnitState#DONE} when every part is, {@link UnitState#PENDING} when none started
     * @param parts how many parts the plan cut it into; 0 when the plan is not known
     * @param partsDone how many parts are finished
     * @param partsRunning the numbers (1-based) of the parts started and not finished
     * @param rows rows of the finished parts
     * @param bytesCopied COPY bytes of the finished parts
     * @param bytes its on-disk size when planned (0 when not known)
     */
    public record TableStatus(long oid, String name, UnitState state, int parts, int partsDone,
            List<Integer> partsRunning, long rows, long bytesCopied, long bytes) {
        /** Checks for nulls and copies the list. */
        public TableStatus {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
            partsRunning = List.copyOf(partsRunning);
        }
    }

    /**
     * One index or constraint.
     *
     * @param oid its OID on the source
     * @param name its name (qualified for an index)
     * @param table the table it belongs to; empty when the plan is not known
     * @param state where it stands
     */
    public record UnitStatus(long oid, String name, String table, UnitState state) {
        /** Checks for nulls. */
        public UnitStatus {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * How many of {@code units} are in {@code state}.
     *
     * @param units {@link #tables()}, {@link #indexes()} or {@link #constraints()}
     * @param state the state to count
     * @return the count
     */
    public long count(List<?> units, UnitState state) {
        return units.stream().filter(u -> stateOf(u) == state).count();
    }

    private static UnitState stateOf(Object unit) {
        if (unit instanceof TableStatus t) {
            return t.state();
        }
        if (unit instanceof UnitStatus u) {
            return u.state();
        }
        if (unit instanceof StepStatus s) {
            return s.state();
        }
        throw new IllegalArgumentException("not a unit of a status: " + unit);
    }

    /**
     * The status as one JSON object. Field names are stable: {@code work_directory}, {@code state}
     * ({@code empty|running|interrupted|finished}), {@code pid}, {@code run_id}, {@code started_at},
     * {@code finished_at} (ISO-8601 or null), {@code plan_known}, {@code steps} (array of {@code {step, state}}),
     * then {@code tables}, {@code indexes} and {@code constraints}, each an object with {@code total} and one count
     * per state ({@code done}, {@code in_progress}, {@code interrupted}, {@code failed}, {@code pending},
     * {@code skipped}; the last only ever counts steps) and
     * {@code items}: tables as {@code {oid, name, state, parts, parts_done, parts_running, rows, bytes_copied,
     * bytes}}, indexes and constraints as {@code {oid, name, table, state}}. States are lower-case.
     *
     * @return the JSON text, on one line
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"work_directory\":").append(q(workDirectory.toString()));
        sb.append(",\"state\":").append(q(word(state)));
        sb.append(",\"pid\":").append(pid.isPresent() ? Long.toString(pid.getAsLong()) : "null");
        sb.append(",\"run_id\":").append(runId.map(WorkDirectoryStatus::q).orElse("null"));
        sb.append(",\"started_at\":").append(startedAt.map(i -> q(i.toString())).orElse("null"));
        sb.append(",\"finished_at\":").append(finishedAt.map(i -> q(i.toString())).orElse("null"));
        sb.append(",\"plan_known\":").append(planKnown);
        sb.append(",\"steps\":").append(array(steps, s -> "{\"step\":" + q(word(s.phase())) + ",\"state\":"
                + q(word(s.state())) + "}"));
        sb.append(",\"tables\":").append(group(tables, t -> "{\"oid\":" + t.oid() + ",\"name\":" + q(t.name())
                + ",\"state\":" + q(word(t.state())) + ",\"parts\":" + t.parts() + ",\"parts_done\":" + t.partsDone()
                + ",\"parts_running\":" + t.partsRunning().toString().replace(" ", "") + ",\"rows\":" + t.rows()
                + ",\"bytes_copied\":" + t.bytesCopied() + ",\"bytes\":" + t.bytes() + "}"));
        sb.append(",\"indexes\":").append(group(indexes, WorkDirectoryStatus::unit));
        sb.append(",\"constraints\":").append(group(constraints, WorkDirectoryStatus::unit));
        return sb.append('}').toString();
    }

    private static String unit(UnitStatus u) {
        return "{\"oid\":" + u.oid() + ",\"name\":" + q(u.name()) + ",\"table\":" + q(u.table()) + ",\"state\":"
                + q(word(u.state())) + "}";
    }

    private <T> String group(List<T> units, Function<T, String> item) {
        StringBuilder sb = new StringBuilder("{\"total\":").append(units.size());
        for (UnitState s : UnitState.values()) {
            sb.append(",\"").append(word(s)).append("\":").append(count(units, s));
        }
        return sb.append(",\"items\":").append(array(units, item)).append('}').toString();
    }

    private static <T> String array(List<T> items, Function<T, String> item) {
        return "[" + String.join(",", items.stream().map(item).toList()) + "]";
    }

    /** An enum constant as JSON and the command line show it: {@code IN_PROGRESS} → {@code in_progress}. */
    private static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String q(String s) {
        return Wiring.jsonString(s);
    }
}
