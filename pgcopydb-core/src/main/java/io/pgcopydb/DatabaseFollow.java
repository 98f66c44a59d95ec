package io.pgcopydb;

import io.pgcopydb.connection.ConnectionSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * Entry point of a follow without a copy — pgcopydb's {@code follow} and {@code stream} commands: replay the
 * changes of a slot set up earlier ({@link FollowBuilder#setup()}) onto a target that already holds the copy, or
 * clean up, or set the endpos of a running follow from another process.
 *
 * <pre>{@code
 * DatabaseFollow.from(src).to(tgt).workDirectory(dir).setEndposToCurrent();   // from another process
 * }</pre>
 *
 * <p>A separate entry point rather than only a {@link CopyBuilder} option because the follow has a life of its
 * own beside the copy — setup, cleanup and the sentinel run without one — while {@link CopyBuilder#follow()} is
 * the {@code clone --follow} shortcut that starts the copy in the slot's snapshot.
 */
public final class DatabaseFollow {
    private DatabaseFollow() {
    }

    /**
     * Starts describing a follow from {@code source} (a libpq URI, key=value conninfo or JDBC URL).
     *
     * @throws IllegalArgumentException when the string is malformed
     */
    public static Source from(String source) {
        return new Source(ConnectionSpec.parse(source));
    }

    /** Starts describing a follow from {@code source}. */
    public static Source from(ConnectionSpec source) {
        return new Source(Objects.requireNonNull(source, "source"));
    }

    /** A follow with a source and no target yet. */
    public static final class Source {
        private final ConnectionSpec source;

        private Source(ConnectionSpec source) {
            this.source = source;
        }

        /** The database changes are applied to, in any form {@link DatabaseFollow#from(String)} accepts. */
        public FollowBuilder to(String target) {
            return to(ConnectionSpec.parse(target));
        }

        /** The database changes are applied to. */
        public FollowBuilder to(ConnectionSpec target) {
            return new FollowBuilder(source, Objects.requireNonNull(target, "target"), Optional.empty());
        }
    }
}
