package io.pgcopydb.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.Phase;
import io.pgcopydb.PlannedCopy;
import io.pgcopydb.WorkDirectoryStatus;
import io.pgcopydb.WorkDirectoryStatus.State;
import io.pgcopydb.WorkDirectoryStatus.TableStatus;
import io.pgcopydb.WorkDirectoryStatus.UnitState;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link StatusReader} makes of a journal and an activity file, written as a run writes them. */
class StatusReaderTest {
    private static final SourceTable BIG = table(1, "big", 3000);
    private static final SourceTable MID = table(2, "mid", 2000);
    private static final SourceTable SMALL = table(3, "small", 1000);
    private static final IndexDefinition MID_PKEY = new IndexDefinition(20, new QualifiedName("public", "mid_pkey"),
            MID.name(), MID.oid(), "CREATE UNIQUE INDEX mid_pkey ON public.mid USING btree (id)", Optional.empty(),
            false, false, Map.of());

    @TempDir
    Path dir;

    @Test
    void aKilledRunHasItsFinishedPartsDoneItsStartedOnesInterruptedAndTheRestPending() throws IOException {
        ActivityLog activity = new ActivityLog();
        activity.attach(dir, "run1", false);
        try (Journal journal = Journal.startOver(dir)) {
            activity.phaseStarted(Phase.CATALOG);
            activity.phaseFinished(Phase.CATALOG, Duration.ZERO);
            activity.copyPlanned(new PlannedCopy(List.of(part(BIG, 1, 2), part(BIG, 2, 2), TablePart.whole(MID),
                    TablePart.whole(SMALL)), List.of(), List.of(MID_PKEY), List.of(), List.of(), 0, 0, List.of()));
            journal.record(new JournalEntry.RunStarted("run1", Instant.parse("2026-01-01T00:00:00Z"), "pair"));
            journal.record(new JournalEntry.PreDataRestored());
            activity.phaseStarted(Phase.COPY_DATA);
            activity.tableCopyStarted(part(BIG, 1, 2));
            activity.tableCopyStarted(part(BIG, 2, 2));
            activity.tableCopyStarted(TablePart.whole(MID));
            journal.record(new JournalEntry.PartCopied(BIG.oid(), 2, 50, 5000));
            journal.record(new JournalEntry.PartCopied(MID.oid(), 1, 70, 7000));
            activity.indexStarted(MID_PKEY);
            journal.record(new JournalEntry.IndexBuilt(MID_PKEY.oid(), "public.mid_pkey"));
        }
        activity.detach();

        WorkDirectoryStatus status = WorkDirectoryStatus.read(dir);

        assertThat(status.state()).isEqualTo(State.INTERRUPTED);
        assertThat(status.pid()).isEmpty();
        assertThat(status.runId()).contains("run1");
        assertThat(status.planKnown()).isTrue();
        Map<String, TableStatus> tables = status.tables().stream().collect(Collectors.toMap(TableStatus::name,
                Function.identity()));
        assertThat(tables.get("public.big")).isEqualTo(new TableStatus(1, "public.big", UnitState.INTERRUPTED, 2, 1,
                List.of(), 50, 5000, 3000));
        assertThat(tables.get("public.mid").state()).isEqualTo(UnitState.DONE);
        assertThat(tables.get("public.small").state()).isEqualTo(UnitState.PENDING);
        assertThat(status.indexes()).singleElement().satisfies(i -> {
            assertThat(i.state()).isEqualTo(UnitState.DONE);
            assertThat(i.table()).isEqualTo("public.mid");
        });
        Map<Phase, UnitState> steps = status.steps().stream().collect(Collectors.toMap(
                WorkDirectoryStatus.StepStatus::phase, WorkDirectoryStatus.StepStatus::state));
        assertThat(steps).containsEntry(Phase.PREFLIGHT, UnitState.DONE).containsEntry(Phase.CATALOG, UnitState.DONE)
                .containsEntry(Phase.PREPARE_SCHEMA, UnitState.DONE)
                .containsEntry(Phase.COPY_DATA, UnitState.INTERRUPTED)
                .containsEntry(Phase.FINALIZE_SCHEMA, UnitState.PENDING);
        assertThat(status.toJson()).contains("\"state\":\"interrupted\"")
                .contains("\"tables\":{\"total\":3,\"done\":1,\"in_progress\":0,\"interrupted\":1,\"failed\":0,"
                        + "\"pending\":1,");
    }

    @Test
    void aLockHeldMeansRunningAndStartedUnitsAreInProgress() throws IOException {
        ActivityLog activity = new ActivityLog();
        activity.attach(dir, "run2", false);
        activity.copyPlanned(new PlannedCopy(List.of(TablePart.whole(SMALL)), List.of(), List.of(), List.of(),
                List.of(), 0, 0, List.of()));
        activity.tableCopyStarted(TablePart.whole(SMALL));
        try (FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            WorkDirectoryStatus status = WorkDirectoryStatus.read(dir);

            assertThat(status.state()).isEqualTo(State.RUNNING);
            assertThat(status.pid()).hasValue(ProcessHandle.current().pid());
            assertThat(status.tables()).singleElement().satisfies(t -> {
                assertThat(t.state()).isEqualTo(UnitState.IN_PROGRESS);
                assertThat(t.partsRunning()).containsExactly(1);
            });
        }
        assertThat(WorkDirectoryStatus.read(dir).state()).as("lock released, nothing journaled")
                .isEqualTo(State.EMPTY);
    }

    @Test
    void aFailedPartStartedAgainIsInProgressAndATornLastLineIsIgnored() throws IOException {
        ActivityLog activity = new ActivityLog();
        activity.attach(dir, "run3", false);
        activity.copyPlanned(new PlannedCopy(List.of(TablePart.whole(SMALL), TablePart.whole(MID)), List.of(),
                List.of(), List.of(), List.of(), 0, 0, List.of()));
        activity.tableCopyStarted(TablePart.whole(SMALL));
        activity.tableCopyFailed(TablePart.whole(SMALL), new RuntimeException("lost"));
        activity.tableCopyStarted(TablePart.whole(MID));
        activity.tableCopyFailed(TablePart.whole(MID), new RuntimeException("lost"));
        activity.tableCopyStarted(TablePart.whole(MID));
        activity.detach();
        Files.writeString(dir.resolve(ActivityLog.FILE), "STARTED\tPART\t3/", StandardOpenOption.APPEND);
        Files.writeString(dir.resolve(Journal.FILE), "");

        WorkDirectoryStatus status = WorkDirectoryStatus.read(dir);

        Map<String, UnitState> states = status.tables().stream().collect(Collectors.toMap(TableStatus::name,
                TableStatus::state));
        assertThat(states).containsEntry("public.small", UnitState.FAILED)
                .containsEntry("public.mid", UnitState.INTERRUPTED);
    }

    @Test
    void aFinishedCopyHasTheStepsItNeverRanSkipped() {
        ActivityLog activity = new ActivityLog();
        activity.attach(dir, "run4", false);
        activity.phaseStarted(Phase.COPY_DATA);
        activity.phaseFinished(Phase.COPY_DATA, Duration.ZERO);
        activity.detach();
        try (Journal journal = Journal.startOver(dir)) {
            journal.record(new JournalEntry.RunStarted("run4", Instant.parse("2026-01-01T00:00:00Z"), "pair"));
            journal.record(new JournalEntry.CopyFinished("run4", Instant.parse("2026-01-01T00:01:00Z")));
        }

        WorkDirectoryStatus status = WorkDirectoryStatus.read(dir);

        assertThat(status.state()).isEqualTo(State.FINISHED);
        assertThat(status.finishedAt()).contains(Instant.parse("2026-01-01T00:01:00Z"));
        Map<Phase, UnitState> steps = status.steps().stream().collect(Collectors.toMap(
                WorkDirectoryStatus.StepStatus::phase, WorkDirectoryStatus.StepStatus::state));
        assertThat(steps).containsEntry(Phase.COPY_DATA, UnitState.DONE)
                .containsEntry(Phase.LARGE_OBJECTS, UnitState.SKIPPED).containsEntry(Phase.VERIFY, UnitState.SKIPPED);
    }

    @Test
    void aRunStillInPreflightIsNamedByItsLockFile() throws IOException {
        Files.writeString(dir.resolve("lock"), "process 4242");
        try (FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            WorkDirectoryStatus status = WorkDirectoryStatus.read(dir);

            assertThat(status.state()).isEqualTo(State.RUNNING);
            assertThat(status.pid()).hasValue(4242);
            assertThat(status.planKnown()).isFalse();
            assertThat(status.tables()).isEmpty();
        }
    }

    @Test
    void aMissingDirectoryIsRefusedNamingIt() {
        assertThatThrownBy(() -> WorkDirectoryStatus.read(dir.resolve("none")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("no work directory at ");
    }

    private static SourceTable table(long oid, String name, long bytes) {
        return new SourceTable(oid, new QualifiedName("public", name), bytes, 100, List.of("id"), false);
    }

    private static TablePart part(SourceTable t, int n, int count) {
        return new TablePart(t, n, count, Optional.of("id >= " + n));
    }
}
