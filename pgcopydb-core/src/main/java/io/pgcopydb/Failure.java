package io.pgcopydb;

import java.util.Optional;

/**
 * One failure of a run.
 *
 * @param phase the step it happened in
 * @param object the object that failed (e.g. {@code public.film}, {@code index public.film_pkey})
 * @param sqlState the server's SQLSTATE, when the error came from a server
 * @param message the error message (server message, detail and hint when there are), one line
 */
public record Failure(Phase phase, String object, Optional<String> sqlState, String message) {

    /** {@code object: message [SQLSTATE]}. */
    @Override
    public String toString() {
        return object + ": " + message + sqlState.map(s -> " [SQLSTATE " + s + "]").orElse("");
    }
}
