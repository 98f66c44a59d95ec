package io.pgcopydb.internal.run;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/** Work started beside the caller's, and its failure thrown again as it was raised, not wrapped. */
public final class Futures {
    private Futures() {
    }

    /**
     * What {@code body} returns, run by {@code executor} (a direct executor runs it at once); the future fails with
     * whatever {@code body} threw.
     */
    public static <T> CompletableFuture<T> supply(Executor executor, Callable<T> body) {
        CompletableFuture<T> future = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                future.complete(body.call());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    /**
     * The result of {@code future}; a failure is thrown as it was raised when it is a {@code checked} exception,
     * unchecked or an {@link Error}, and any other stays wrapped in the {@link CompletionException}.
     */
    public static <T, X extends Exception> T join(CompletableFuture<T> future, Class<X> checked) throws X {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (checked.isInstance(cause)) {
                throw checked.cast(cause);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
