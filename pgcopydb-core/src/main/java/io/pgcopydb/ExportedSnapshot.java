package io.pgcopydb;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.Wiring;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of the source exported and held open: pgcopydb's {@code snapshot}. Give its {@link #id()} to
 * {@link CopyBuilder#snapshot(String)} of several copies (or to {@code --snapshot} of several command lines) so that
 * they all read the same instant; the snapshot lives until {@link #close()}.
 *
 * <pre>{@code
 * try (ExportedSnapshot snapshot = ExportedSnapshot.export(source)) {
 *     DatabaseCopy.from(source).to(target).snapshot(snapshot.id()).run();
 * }
 * }</pre>
 *
 * <p>Holds one source session, idle in a {@code REPEATABLE READ} transaction: while it is open the source keeps
 * the row versions the snapshot sees (vacuum cannot remove them). Thread-safe.
 */
public final class ExportedSnapshot implements AutoCloseable {
    private final Connection session;
    private final String id;

    private ExportedSnapshot(Connection session, String id) {
        this.session = session;
        this.id = id;
    }

    /**
     * Opens a session to {@code source} and exports its snapshot ({@code pg_export_snapshot()}).
     *
     * @param source the database whose snapshot to export
     * @return the held snapshot; close it to release it
     * @throws PgCopyException with a code of {@link ErrorCode.Category#CONNECTION} when the source cannot be
     *     reached
     */
    public static ExportedSnapshot export(ConnectionSpec source) {
        Map.Entry<Connection, String> held = Wiring.exportSnapshot(Objects.requireNonNull(source, "source"));
        return new ExportedSnapshot(held.getKey(), held.getValue());
    }

    /**
     * The snapshot's id, as {@code SET TRANSACTION SNAPSHOT} takes it ({@code 00000003-0000001B-1}).
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * Whether the session holding the snapshot is still open: false once closed or when the server ended it.
     *
     * @return true while the snapshot can still be imported
     */
    public boolean isHeld() {
        try {
            return session.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Ends the transaction and the session: the snapshot can no longer be imported. Idempotent. */
    @Override
    public synchronized void close() {
        try {
            if (!session.isClosed()) {
                session.rollback();
                session.close();
            }
        } catch (SQLException e) {
            // The session is gone either way, and with it the snapshot.
        }
    }
}
