package io.pgcopydb;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One retry of a run: an object whose work was lost with its connection (SQLSTATE class 08, a terminated backend,
 * a server restart) and was done again on a new connection after a pause.
 *
 * @param phase the step it happened in
 * @param object what was retried (e.g. {@code public.film}, {@code index public.film_pkey})
 * @param attempt the number of the attempt that followed (2 for the first retry)
 * @param sqlState the SQLSTATE of the error that caused it, when a server sent one
 * @param message the error that caused it, one line
 * @param delay the pause before the attempt
 */
public record Retry(Phase phase, String object, int attempt, Optional<String> sqlState, String message,
        Duration delay) {

    /** Checks for nulls. */
    public Retry {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(sqlState, "sqlState");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(delay, "delay");
    }

    /** {@code object: attempt N after Xms: message [SQLSTATE]}. */
    @Override
    public String toString() {
        return object + ": attempt " + attempt + " after " + delay.toMillis() + " ms: " + message
                + sqlState.map(s -> " [SQLSTATE " + s + "]").orElse("");
    }
}
