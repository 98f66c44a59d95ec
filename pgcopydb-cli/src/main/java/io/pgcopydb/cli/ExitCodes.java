package io.pgcopydb.cli;

import io.pgcopydb.PgCopyException;

/**
 * The process exit codes of {@code pgcopydb.jar}. They differ from pgcopydb's own numbering, which spreads one
 * failure over many codes; scripts here only need to tell these five apart.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Bad arguments: unknown or missing options, invalid values. */
    public static final int USAGE = 2;
    /** A server could not be reached or refused the connection. */
    public static final int CONNECTION_FAILED = 3;
    /** The copy (or the demo's verification) failed. */
    public static final int FAILED = 4;
    /** The copy was cancelled (Ctrl-C). */
    public static final int CANCELLED = 5;

    private ExitCodes() {
    }

    /**
     * The exit code for a failure that ended a command.
     *
     * @param failure what the command threw
     * @return one of this class's codes
     */
    public static int of(Throwable failure) {
        if (failure instanceof UsageException || failure instanceof IllegalArgumentException) {
            // IllegalArgumentException: the library refused a value or a combination of options.
            return USAGE;
        }
        if (failure instanceof PgCopyException e) {
            return switch (e.code()) {
                case INVALID_ARGUMENT -> USAGE;
                case CONNECTION_FAILED -> CONNECTION_FAILED;
                case CANCELLED -> CANCELLED;
                default -> FAILED;
            };
        }
        return FAILED;
    }
}
