package io.pgcopydb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.compare.DatabaseCompare;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.SampleDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The migration-tool example against real servers: interrupted, it says so and exits 3; run again, it finds the
 * interrupted copy through the API, resumes it and shows its progress to 100 %; run once more, it decides what to
 * do about a target that is not empty — from the error code alone.
 */
@ExtendWith(PostgresPairExtension.class)
class MigrationToolExampleIT {

    @Test
    void interruptedThenResumedWithProgressThenRefusedFromTheCodeAlone(DatabasePair pair) {
        pair.source().load(SampleDatabase.of(0.05));
        String source = pair.source().uri();
        String target = pair.target().uri();

        Run first = run(source, target, true);
        assertThat(first.exitCode).as(first.output).isEqualTo(MigrationToolExample.INTERRUPTED);
        assertThat(first.output).contains("the copy stopped: STOPPED (CANCELLED)")
                .contains("run the same command again to resume");

        Run second = run(source, target, false);
        assertThat(second.exitCode).as(second.output).isEqualTo(MigrationToolExample.OK);
        assertThat(second.output).contains("resuming the copy interrupted in ");
        List<String> progress = second.output.lines().filter(l -> l.startsWith("data: ")).toList();
        assertThat(progress).as(second.output).isNotEmpty();
        assertThat(progress.get(progress.size() - 1)).contains("100.0 %").contains("ETA done");
        CompareReport comparison = DatabaseCompare.of(ConnectionSpec.parse(source), ConnectionSpec.parse(target))
                .all();
        assertThat(comparison.isIdentical()).as(comparison.toText()).isTrue();

        Run third = run(source, target, false);
        assertThat(third.exitCode).isEqualTo(MigrationToolExample.FAILED);
        assertThat(third.output).contains("the copy stopped: ASK_TO_REPLACE_TARGET (TARGET_NOT_EMPTY)")
                .contains("[target]").contains("dropIfExists()");
    }

    @Test
    void everyCodeHasADecision() {
        EnumSet<MigrationToolExample.Decision> used = EnumSet.noneOf(MigrationToolExample.Decision.class);
        for (ErrorCode code : ErrorCode.values()) {
            used.add(MigrationToolExample.decide(code));
        }
        assertThat(used).as("every decision is taken for some code").containsExactlyInAnyOrder(
                MigrationToolExample.Decision.values());
        assertThat(MigrationToolExample.decide(ErrorCode.INTERRUPTED_COPY_FOUND))
                .isEqualTo(MigrationToolExample.Decision.RESUME);
        assertThat(MigrationToolExample.decide(ErrorCode.TIMED_OUT)).isEqualTo(MigrationToolExample.Decision.STOPPED);
    }

    private static Run run(String source, String target, boolean stopAfterFirstTable) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = MigrationToolExample.migrate(source, target, out, stopAfterFirstTable);
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        return new Run(code, output);
    }

    private record Run(int exitCode, String output) {
    }
}
