package io.pgcopydb.cli;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;

/**
 * The process exit codes of {@code pgcopydb.jar}. They differ from pgcopydb's own numbering, which spreads one
 * failure over many codes; scripts here only need to tell these apart.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Bad arguments: unknown or missing options, invalid values. */
    public static final int USAGE = 2;
    /** A server could not be reached or refused the connection. */
    public static final int CONNECTION_FAILED = 3;
    /** The copy failed. */
    public static final int FAILED = 4;
    /** The copy was cancelled (Ctrl-C) or timed out ({@code --timeout}). */
    public static final int CANCELLED = 5;
    /**
     * The databases differ: {@code compare} found differences, or the copy of {@code clone --verify} (and of the
     * demo) completed but its verification did not find the target identical to the source.
     */
    public static final int DIFFERENT = 6;

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
            return of(e.code());
        }
        return FAILED;
    }

    /**
     * The exit code for a library failure of {@code code}, by its category: every connection code (unreachable,
     * unknown host, authentication, rejected, no password, no such database) is {@link #CONNECTION_FAILED};
     * cancelled and timed out are {@link #CANCELLED}; a failed verification ({@link ErrorCode#VERIFY_FAILED}) is
     * {@link #DIFFERENT}; every other failure is {@link #FAILED}.
     *
     * @param code the failure's code
     * @return one of this class's codes
     */
    public static int of(ErrorCode code) {
        if (code == ErrorCode.VERIFY_FAILED) {
            return DIFFERENT;
        }
        return switch (code.category()) {
            case ARGUMENT -> USAGE;
            case CONNECTION -> CONNECTION_FAILED;
            case CANCELLED -> CANCELLED;
            case PREFLIGHT, RUN, INTERNAL -> FAILED;
        };
    }
}
