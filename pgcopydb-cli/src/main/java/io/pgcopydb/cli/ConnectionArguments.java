package io.pgcopydb.cli;

import io.pgcopydb.connection.ConnectionSpec;
import java.util.Optional;

/**
 * Reads {@code --source} and {@code --target}: a libpq URI, a key=value string or a JDBC URL, given on the command
 * line or by its environment variable ({@link EnvironmentDefaults} puts the variable's value into the option). A
 * password missing from the string is taken from {@code PGPASSWORD}, as libpq does.
 * Error messages name the option and never repeat the value, which may hold a password.
 */
public final class ConnectionArguments {
    /** Environment variable read when {@code --source} is absent. */
    public static final String SOURCE_VARIABLE = "PGCOPYDB_SOURCE_PGURI";
    /** Environment variable read when {@code --target} is absent. */
    public static final String TARGET_VARIABLE = "PGCOPYDB_TARGET_PGURI";

    private ConnectionArguments() {
    }

    /**
     * The connection named by {@code option}'s value, which the command line or {@code variable} gave.
     *
     * @param context the environment {@code variable} is read from
     * @param option the option's name, for messages, e.g. {@code --source}
     * @param value the option's value (the variable's when the command line had none), null when neither gave one
     * @param variable the option's environment variable, e.g. {@code PGCOPYDB_SOURCE_PGURI}
     * @return the parsed connection
     * @throws UsageException when neither is given, or the string is malformed
     */
    public static ConnectionSpec required(CliContext context, String option, String value, String variable) {
        if (value == null) {
            throw new UsageException("missing " + option + ": give " + option + " <connection string> or set "
                    + variable);
        }
        // A value equal to the variable's is named after the variable: it may well have come from there, and it is in
        // there either way.
        boolean fromVariable = context.variable(variable).filter(value::equals).isPresent();
        return parse(context, fromVariable ? variable : option, value);
    }

    /**
     * The connection named by {@code option}'s value, when given (no environment fallback).
     *
     * @param context the invocation's context
     * @param option the option's name, for messages, e.g. {@code --source}
     * @param value the option's value, null when not given
     * @return the parsed connection, empty when {@code value} is null
     * @throws UsageException when the string is malformed
     */
    public static Optional<ConnectionSpec> optional(CliContext context, String option, String value) {
        return Optional.ofNullable(value).map(v -> parse(context, option, v));
    }

    /**
     * Parses one connection string.
     *
     * @param name the option or variable it came from, for the message
     * @throws UsageException when the string is malformed
     */
    static ConnectionSpec parse(CliContext context, String name, String value) {
        if (value.isBlank()) {
            throw new UsageException(name + " is empty: give a connection string such as "
                    + "postgres://user@host:5432/dbname");
        }
        try {
            return ConnectionSpec.parse(value, context.environment());
        } catch (IllegalArgumentException e) {
            // The library's message never holds the password; it is masked once more when printed.
            throw new UsageException(name + ": " + e.getMessage());
        }
    }
}
