package io.pgcopydb.cli;

import io.pgcopydb.WorkDirectoryStatus;
import io.pgcopydb.WorkDirectoryStatus.StepStatus;
import io.pgcopydb.WorkDirectoryStatus.TableStatus;
import io.pgcopydb.WorkDirectoryStatus.UnitState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code list progress} as text: one line on the directory, the steps, pgcopydb's count table (tables, indexes and
 * constraints by state) and one line per table with its parts.
 */
final class ProgressStatusText {
    private ProgressStatusText() {
    }

    static String render(WorkDirectoryStatus s) {
        StringBuilder sb = new StringBuilder();
        sb.append("Work directory ").append(s.workDirectory()).append(": ").append(headline(s)).append('\n');
        s.runId().ifPresent(id -> sb.append("Last run ").append(id)
                .append(s.startedAt().map(t -> ", copy started at " + t).orElse(""))
                .append(s.finishedAt().map(t -> ", finished at " + t).orElse("")).append('\n'));
        if (!s.planKnown() && s.state() != WorkDirectoryStatus.State.EMPTY) {
            sb.append("The plan is not known (no activity file): only finished units are listed.\n");
        }
        sb.append('\n').append("Steps:\n");
        for (StepStatus step : s.steps()) {
            sb.append(String.format(Locale.ROOT, "  %-12s %s%n", word(step.state()), step.phase().description()));
        }
        sb.append('\n');
        List<String> headers = List.of("", "Total", "Done", "In progress", "Interrupted", "Failed", "Pending");
        List<List<String>> rows = List.of(counts(s, "Tables", s.tables()), counts(s, "Indexes", s.indexes()),
                counts(s, "Constraints", s.constraints()));
        sb.append(TextTable.render(headers, rows, 1));
        if (!s.tables().isEmpty()) {
            sb.append('\n');
            List<List<String>> tables = new ArrayList<>();
            for (TableStatus t : s.tables()) {
                tables.add(List.of(Long.toString(t.oid()), t.name().isEmpty() ? "(oid " + t.oid() + ")" : t.name(),
                        t.parts() == 0 ? "?" : Integer.toString(t.parts()), Integer.toString(t.partsDone()),
                        t.partsRunning().stream().map(String::valueOf).collect(Collectors.joining(",")),
                        Long.toString(t.rows()), ListOutput.pretty(t.bytesCopied()), word(t.state())));
            }
            sb.append(TextTable.render(List.of("OID", "Table", "Parts", "Done", "Running", "Rows", "Copied",
                    "State"), tables, 2));
        }
        return sb.toString();
    }

    private static String headline(WorkDirectoryStatus s) {
        return switch (s.state()) {
            case EMPTY -> "no copy recorded yet";
            case RUNNING -> "a copy is running" + (s.pid().isPresent() ? " (process " + s.pid().getAsLong() + ")"
                    : "");
            case INTERRUPTED -> "interrupted, no run holds it: clone --resume continues it";
            case FINISHED -> "the copy finished";
        };
    }

    private static List<String> counts(WorkDirectoryStatus s, String label, List<?> units) {
        List<String> row = new ArrayList<>(List.of(label, Integer.toString(units.size())));
        for (UnitState state : List.of(UnitState.DONE, UnitState.IN_PROGRESS, UnitState.INTERRUPTED,
                UnitState.FAILED, UnitState.PENDING)) {
            row.add(Long.toString(s.count(units, state)));
        }
        return row;
    }

    private static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
