package io.pgcopydb.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FuturesTest {

    @Test
    void aFailureIsThrownAsRaisedWhenCheckedAsAskedUncheckedOrAnError() throws Exception {
        SQLException sql = new SQLException("no server");
        IllegalStateException state = new IllegalStateException("bad");
        AssertionError error = new AssertionError("broken");
        IOException io = new IOException("other");

        assertThat(catchThrowable(() -> Futures.join(Futures.supply(Runnable::run, () -> {
            throw sql;
        }), SQLException.class))).isSameAs(sql);
        assertThat(catchThrowable(() -> Futures.join(CompletableFuture.failedFuture(state), SQLException.class)))
                .isSameAs(state);
        assertThat(catchThrowable(() -> Futures.join(CompletableFuture.failedFuture(error), SQLException.class)))
                .isSameAs(error);
        assertThat(catchThrowable(() -> Futures.join(CompletableFuture.failedFuture(io), SQLException.class)))
                .isInstanceOf(CompletionException.class).hasCause(io);
        assertThat(Futures.join(Futures.supply(Runnable::run, () -> 42), SQLException.class)).isEqualTo(42);
    }

    @Test
    void theBodyRunsOnTheExecutorsThread() throws Exception {
        String[] ran = new String[1];
        CompletableFuture<String> f = Futures.supply(r -> new Thread(r, "beside").start(), () -> {
            ran[0] = Thread.currentThread().getName();
            return "done";
        });
        assertThat(Futures.join(f, Exception.class)).isEqualTo("done");
        assertThat(ran[0]).isEqualTo("beside");
    }
}
