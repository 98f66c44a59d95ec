package io.pgcopydb.cli;

/**
 * A value given on the command line or in the environment is missing or invalid. Reported as one line and exit
 * code {@link ExitCodes#USAGE}; the message names the option or variable and must never contain a password.
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with a message naming the option and what is wrong with it.
     *
     * @param message the one line printed after {@code pgcopydb: }
     */
    public UsageException(String message) {
        super(message);
    }
}
