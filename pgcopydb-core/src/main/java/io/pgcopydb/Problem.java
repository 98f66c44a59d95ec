package io.pgcopydb;

import io.pgcopydb.model.Side;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing that stopped a copy, typed so a caller can act on it without reading the text: what kind of problem
 * it is ({@link #code()}), on which server ({@link #side()}), about which object ({@link #object()}), with the
 * server's SQLSTATE when a server reported it; and, for people, what is wrong ({@link #message()}) and what to do
 * ({@link #remedy()}). A {@link PgCopyException} carries one or more of them ({@link PgCopyException#problems()}).
 *
 * <pre>{@code
 * for (Problem p : e.problems()) {
 *     if (p.code() == ErrorCode.TARGET_NOT_EMPTY && askUser("Replace the older copy?")) {
 *         copy.dropIfExists().run();
 *     }
 * }
 * }</pre>
 *
 * <p>Remedies name the library's API ({@code dropIfExists()}, {@code resume()}, {@code workDirectory(path)}), never
 * a command-line flag. Messages and remedies are one line each and never contain a password.
 *
 * @param code what kind of problem this is
 * @param side the server it is about, when it is about one
 * @param object the object concerned, when there is one: a relation ({@code schema.name}), a role, an extension,
 *     a directory path, a host, a database, a filter entry, a reported object such as {@code index public.film_pkey};
 *     when the message names several, the first of them
 * @param sqlState the server's SQLSTATE, when a server reported the problem
 * @param message what is wrong, one line
 * @param remedy what to do about it, one line, naming the library's API methods
 */
public record Problem(ErrorCode code, Optional<Side> side, Optional<String> object, Optional<String> sqlState,
        String message, String remedy) {

    /** Checks that nothing is null. */
    public Problem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(sqlState, "sqlState");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(remedy, "remedy");
    }

    /**
     * A problem with a code, message and remedy only; add the rest with {@link #withSide}, {@link #withObject} and
     * {@link #withSqlState}.
     *
     * @param code what kind of problem this is
     * @param message what is wrong, one line
     * @param remedy what to do about it, one line
     * @return the problem
     */
    public static Problem of(ErrorCode code, String message, String remedy) {
        return new Problem(code, Optional.empty(), Optional.empty(), Optional.empty(), message, remedy);
    }

    /**
     * This problem about {@code side}.
     *
     * @param side the server it is about
     * @return a copy with the side set
     */
    public Problem withSide(Side side) {
        return new Problem(code, Optional.of(side), object, sqlState, message, remedy);
    }

    /**
     * This problem about {@code object}.
     *
     * @param object the object concerned, null for none
     * @return a copy with the object set
     */
    public Problem withObject(String object) {
        return new Problem(code, side, Optional.ofNullable(object), sqlState, message, remedy);
    }

    /**
     * This problem with the server's SQLSTATE.
     *
     * @param sqlState the SQLSTATE, null for none
     * @return a copy with the SQLSTATE set
     */
    public Problem withSqlState(String sqlState) {
        return new Problem(code, side, object, Optional.ofNullable(sqlState), message, remedy);
    }

    /**
     * This problem with another remedy.
     *
     * @param remedy what to do about it, one line
     * @return a copy with the remedy replaced
     */
    public Problem withRemedy(String remedy) {
        return new Problem(code, side, object, sqlState, message, remedy);
    }

    /** {@code message: remedy}, the one line a person reads. */
    @Override
    public String toString() {
        return message + ": " + remedy;
    }
}
