package io.pgcopydb.testkit.server;

/** A throwaway server could not be started, reached or used; the message says which and why. */
public class TestkitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. */
    public TestkitException(String message) {
        super(message);
    }

    /** Creates an exception with a message and its cause. */
    public TestkitException(String message, Throwable cause) {
        super(message, cause);
    }
}
