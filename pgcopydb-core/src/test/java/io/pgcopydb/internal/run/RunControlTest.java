package io.pgcopydb.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.ErrorCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Why a run was cancelled, typed: by the caller or by its time limit. */
class RunControlTest {
    @Test
    void aTimeoutIsTimedOutAndSaysTheLimitOnce() {
        RunControl control = new RunControl();

        assertThat(control.timeOut(Duration.ofMillis(1500))).isEqualTo("the copy timed out after 1.5 s");
        control.cancel("the copy was cancelled");

        assertThat(control.isCancelled()).isTrue();
        assertThat(control.cancelCode()).as("the first cause is kept").isEqualTo(ErrorCode.TIMED_OUT);
        assertThat(control.cancelReason()).isEqualTo("the copy timed out after 1.5 s");
    }

    @Test
    void aCancellationIsCancelled() {
        RunControl control = new RunControl();
        control.cancel("the copy was cancelled");
        control.timeOut(Duration.ofSeconds(1));

        assertThat(control.cancelCode()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(control.cancelReason()).isEqualTo("the copy was cancelled");
    }

    @Test
    void limitsAreWrittenAsPeopleWriteThem() {
        assertThat(RunControl.describe(Duration.ofSeconds(90))).isEqualTo("90 s");
        assertThat(RunControl.describe(Duration.ofSeconds(1))).isEqualTo("1 s");
        assertThat(RunControl.describe(Duration.ofMinutes(30))).isEqualTo("30 min");
        assertThat(RunControl.describe(Duration.ofHours(2))).isEqualTo("2 h");
        assertThat(RunControl.describe(Duration.ofMillis(250))).isEqualTo("0.25 s");
    }

    @Test
    void aLostSnapshotIsKeptOnce() {
        RunControl control = new RunControl();
        assertThat(control.lostSnapshot()).isEmpty();
        control.snapshotLost("00000003-0000001B-1");
        control.snapshotLost("00000004-0000001B-1");
        assertThat(control.lostSnapshot()).contains("00000003-0000001B-1");
    }
}
