package io.pgcopydb.internal.run;

import io.pgcopydb.CopyListener;
import io.pgcopydb.CopyOptions;
import io.pgcopydb.Phase;
import io.pgcopydb.Retry;
import io.pgcopydb.internal.postgres.Errors;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of work again when its connection was lost ({@link Errors#isConnectionLoss}), with jittered
 * exponential backoff, bounded by the run's retry count and retry timeout. Each retry is logged, reported and
 * told to the listener. Any other error, a stopping run, or an exhausted budget ends the attempts: the last error
 * is thrown, its message saying how many attempts were made. Thread-safe.
 */
public final class Retrier {
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);
    static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(15);

    private final CopyOptions options;
    private final RunControl control;
    private final ReportCollector report;
    private final CopyListener listener;

    Retrier(CopyOptions options, RunControl control, ReportCollector report, CopyListener listener) {
        this.options = options;
        this.control = control;
        this.report = report;
        this.listener = listener;
    }

    /** One attempt of a unit of work; {@code attempt} is 1 the first time. */
    public interface Attempt<T> {
        T run(int attempt) throws Exception;
    }

    /**
     * Runs {@code body} until it succeeds or must not be retried.
     *
     * @throws RetriesExhausted wrapping the last connection loss when the budget ran out
     * @throws Exception what {@code body} threw, when it is not a connection loss or the run is stopping
     */
    public <T> T call(Phase phase, String object, Attempt<T> body) throws Exception {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                return body.run(attempt);
            } catch (Exception e) {
                if (!control.pause(retryAfter(phase, object, attempt, start, e))) {
                    throw e;
                }
            }
        }
    }

    /**
     * Decides, for a unit whose attempts are not a loop around one call (a table whose parts are redone together),
     * whether attempt {@code attempt} of {@code object}, which failed with {@code e}, is followed by another: when
     * it is, the retry is logged, reported and told to the listener, and the pause to wait before it is returned
     * ({@link RunControl#pause}). Same rules and budget as {@link #call}.
     *
     * @param startNanos {@link System#nanoTime()} when the first attempt started: the retry timeout counts from it
     * @throws RetriesExhausted wrapping {@code e} when the budget ran out
     * @throws Exception {@code e} itself when it is not a connection loss or the run is stopping
     */
    public Duration retryAfter(Phase phase, String object, int attempt, long startNanos, Exception e)
            throws Exception {
        if (!Errors.isConnectionLoss(e) || control.isStopping()) {
            throw e;
        }
        int retries = options.retries();
        Duration delay = delay(attempt);
        Duration spent = Duration.ofNanos(System.nanoTime() - startNanos);
        if (attempt > retries || spent.plus(delay).compareTo(options.retryTimeout()) > 0) {
            if (retries == 0) {
                throw e;
            }
            throw new RetriesExhausted(attempt, spent, e);
        }
        String message = Errors.message(e);
        LOG.warn("{}: connection lost ({}), attempt {} of {} in {} ms", object, message, attempt + 1,
                retries + 1, delay.toMillis());
        report.retry(new Retry(phase, object, attempt + 1, Errors.sqlState(e), message, delay));
        listener.retrying(object, attempt + 1, delay, e);
        return delay;
    }

    /** Full jitter over an exponential ceiling: between half and all of 0.5 s × 2^(attempt−1), capped. */
    static Duration delay(int attempt) {
        long ceiling = Math.min(MAX_DELAY.toMillis(), FIRST_DELAY.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    /** The last connection loss of an object whose retries ran out; its message says how long it tried. */
    static final class RetriesExhausted extends Exception implements Errors.Explained {
        private static final long serialVersionUID = 1L;

        RetriesExhausted(int attempts, Duration spent, Exception last) {
            super("gave up after " + attempts + " attempts over " + spent.toSeconds() + " s, the connection kept "
                    + "failing: " + Errors.message(last) + " (check that the server is up and reachable; "
                    + "retries(n) and retryTimeout(d) set the bound)", last);
        }
    }
}
